// Sale recovery (DESIGN.md §5): a sale whose process died between its lines is driven
// to an end, completed or given back, by whichever process runs this. The reactor keeps
// the set of sales started and not yet ended in its own table; the sweeper drives those
// pending for longer than a live sale ever takes (a grace period), so it never races a
// sale still in flight. Every saga step is safe to repeat.
import type { Logger } from 'pino';
import type { Commands } from '../commands/index.js';
import type { ReadDb } from '../projections/read-db.js';
import type { Reactor } from './runner.js';

export function saleRecoveryReactor(db: ReadDb): Reactor {
  return {
    name: 'sale-recovery',
    eventTypes: ['SaleStarted', 'SaleCompleted', 'SaleRejected'],
    async react(event) {
      if (event.type === 'SaleStarted') {
        await db
          .insertInto('pending_sales')
          .values({ tenant_id: event.metadata.tenantId, sale_id: event.data.saleId, started_at: event.metadata.occurredAt, correlation_id: event.metadata.correlationId })
          .onConflict((oc) => oc.column('sale_id').doNothing())
          .execute();
      } else if (event.type === 'SaleCompleted' || event.type === 'SaleRejected') {
        await db.deleteFrom('pending_sales').where('sale_id', '=', event.data.saleId).execute();
      }
      return { status: 'done' };
    },
  };
}

/** Drives every sale pending for longer than `graceMs`; returns how many it drove. */
export async function recoverPendingSales(db: ReadDb, commands: Commands, logger: Logger, graceMs: number, now = new Date()): Promise<number> {
  const stale = await db
    .selectFrom('pending_sales')
    .selectAll()
    .where('started_at', '<=', new Date(now.getTime() - graceMs))
    .orderBy('started_at')
    .limit(100)
    .execute();
  for (const p of stale) {
    const ctx = { tenantId: p.tenant_id, actorId: 'system:sale-recovery', correlationId: p.correlation_id, causationId: `recovery:${p.sale_id}`, now };
    const outcome = await commands.resumeSale(ctx, p.sale_id);
    logger.warn({ saleId: p.sale_id, tenantId: p.tenant_id, outcome: outcome?.status ?? 'already ended' }, 'sale left half-way driven to an end');
    // The end event removes it too; removing it here keeps a sweep from repeating it.
    await db.deleteFrom('pending_sales').where('sale_id', '=', p.sale_id).execute();
  }
  return stale.length;
}
