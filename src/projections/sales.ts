// The sales read model: one row per sale with its totals, and its lines. A sale row's
// revision guards every handler, so an event applied twice changes nothing.
import { sql, type Transaction, type UpdateObject } from 'kysely';
import type { Stored } from '../events/index.js';
import type { SaleEvent } from '../events/sale.js';
import { ZERO } from '../events/values.js';
import { projection } from './projection.js';
import type { Database } from './schema.js';

type Tx = Transaction<Database>;

async function advance(tx: Tx, e: Stored<SaleEvent>, set: UpdateObject<Database, 'sales'> = {}): Promise<boolean> {
  const result = await tx
    .updateTable('sales')
    .set({ ...set, revision: Number(e.revision), updated_at: e.metadata.occurredAt })
    .where('id', '=', e.data.saleId)
    .where('revision', '<', Number(e.revision))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

async function giveBack(tx: Tx, e: Stored<Extract<SaleEvent, { type: 'SaleReturned' | 'SaleVoided' }>>, status?: 'voided'): Promise<void> {
  const refund = e.data.lines.reduce((sum, l) => sum.plus(l.refund), ZERO).toString();
  const cost = e.data.lines.reduce((sum, l) => sum.plus(l.cost), ZERO).toString();
  const applied = await advance(tx, e, {
    refunded: sql<string>`refunded + ${refund}::numeric`,
    returned_cost: sql<string>`returned_cost + ${cost}::numeric`,
    ...(status ? { status } : {}),
  });
  if (!applied) return;
  for (const l of e.data.lines) {
    await tx
      .updateTable('sale_lines')
      .set({ returned: sql<string>`returned + ${l.quantity}::numeric`, returned_cost: sql<string>`returned_cost + ${l.cost}::numeric` })
      .where('sale_id', '=', e.data.saleId)
      .where('line', '=', l.line)
      .execute();
  }
}

/** A return or void that puts its lines back in stock: tracked until they all are. */
async function trackRestock(tx: Tx, e: Stored<Extract<SaleEvent, { type: 'SaleReturned' | 'SaleVoided' }>>): Promise<void> {
  if (e.data.lines.length === 0 || (e.type === 'SaleReturned' && !e.data.restock)) return;
  await tx
    .insertInto('sale_restocks')
    .values({
      return_id: e.data.returnId,
      tenant_id: e.metadata.tenantId,
      sale_id: e.data.saleId,
      pending_lines: e.data.lines.map((l) => l.line),
      correlation_id: e.metadata.correlationId,
      created_at: e.metadata.occurredAt,
    })
    .onConflict((oc) => oc.column('return_id').doNothing())
    .execute();
}

export const sales = projection('sales', ['sales', 'sale_lines', 'sale_restocks'], {
  SaleStarted: async (e, tx) => {
    const inserted = await tx
      .insertInto('sales')
      .values({
        id: e.data.saleId,
        tenant_id: e.metadata.tenantId,
        customer_id: e.data.customerId,
        location_id: e.data.locationId,
        status: 'pending',
        total: e.data.total,
        cost: '0',
        refunded: '0',
        returned_cost: '0',
        short_lines: null,
        revision: Number(e.revision),
        created_at: e.metadata.occurredAt,
        completed_at: null,
        updated_at: e.metadata.occurredAt,
        correlation_id: e.metadata.correlationId,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return;
    await tx
      .insertInto('sale_lines')
      .values(e.data.lines.map((l) => ({ tenant_id: e.metadata.tenantId, sale_id: e.data.saleId, line: l.line, product_id: l.productId, quantity: l.quantity, unit_price: l.unitPrice, cost: '0', returned: '0', returned_cost: '0' })))
      .execute();
  },
  SaleCompleted: async (e, tx) => {
    if (!(await advance(tx, e, { status: 'completed', cost: e.data.cost, completed_at: e.metadata.occurredAt }))) return;
    for (const l of e.data.lines) {
      await tx.updateTable('sale_lines').set({ cost: l.cost }).where('sale_id', '=', e.data.saleId).where('line', '=', l.line).execute();
    }
  },
  SaleRejected: async (e, tx) => {
    await advance(tx, e, { status: 'rejected', short_lines: JSON.stringify(e.data.shortLines) });
  },
  SaleReturned: async (e, tx) => {
    await giveBack(tx, e);
    await trackRestock(tx, e);
  },
  SaleVoided: async (e, tx) => {
    await giveBack(tx, e, 'voided');
    await trackRestock(tx, e);
  },
  // A product took a returned line back (StockReturned follows its sale's event in the log).
  StockReturned: async (e, tx) => {
    await tx
      .updateTable('sale_restocks')
      .set({ pending_lines: sql<number[]>`array_remove(pending_lines, ${e.data.line}::integer)` })
      .where('return_id', '=', e.data.returnId)
      .execute();
  },
});
