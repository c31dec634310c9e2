// Sale recovery (DESIGN.md §5): a sale whose process died between its lines is driven
// to an end, completed or given back, by whichever process sweeps. The sales read model
// already knows which sales are pending, so the sweep reads it instead of keeping a set
// of its own per event (that bookkeeping cost more than the rest of a sale). Only sales
// pending for longer than a live sale ever takes (a grace period) are driven, so a sweep
// never races a sale still in flight; and every saga step is safe to repeat, so two
// sweepers, or a read model that lags, drive nothing twice.
//
// Steps are safe to repeat for as long as the products remember them
// (SALE_STEP_MEMORY_MS, a week). A sale pending for longer than that (the service was
// down all that time) is not driven: a repeated step could take its stock twice. It is
// logged as an error for someone to settle by hand, from its product streams.
import type { Logger } from 'pino';
import type { Commands } from '../commands/index.js';
import { SALE_STEP_MEMORY_MS } from '../commands/product-state.js';
import type { ReadDb } from '../projections/read-db.js';

/** Drives every sale pending for longer than `graceMs`; returns how many it drove. */
export async function recoverPendingSales(db: ReadDb, commands: Commands, logger: Logger, graceMs: number, now = new Date()): Promise<number> {
  const pending = db.selectFrom('sales').select(['id', 'tenant_id', 'correlation_id']).where('status', '=', 'pending');
  const forgotten = new Date(now.getTime() - SALE_STEP_MEMORY_MS);
  const tooOld = await pending.where('created_at', '<', forgotten).limit(100).execute();
  for (const sale of tooOld) {
    logger.error({ saleId: sale.id, tenantId: sale.tenant_id }, 'sale pending for longer than its products remember its steps: settle it by hand');
  }
  const stale = await pending
    .where('created_at', '>=', forgotten)
    .where('created_at', '<=', new Date(now.getTime() - graceMs))
    .orderBy('created_at')
    .limit(100)
    .execute();
  let driven = 0;
  for (const sale of stale) {
    const ctx = { tenantId: sale.tenant_id, actorId: 'system:sale-recovery', correlationId: sale.correlation_id ?? sale.id, causationId: `recovery:${sale.id}`, now };
    // Null when the sale had ended already and the read model had not caught up.
    const outcome = await commands.resumeSale(ctx, sale.id);
    if (!outcome) continue;
    driven++;
    logger.warn({ saleId: sale.id, tenantId: sale.tenant_id, outcome: outcome.status }, 'sale left half-way driven to an end');
  }
  return driven;
}
