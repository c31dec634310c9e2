// Sale recovery (DESIGN.md §5): a sale whose process died between its lines is driven
// to an end, completed or given back, by whichever process sweeps; so is a return or
// void whose process died before every line was back in stock. The sales read model
// already knows which sales are pending and which restocks unfinished, so the sweep
// reads it instead of keeping a record of its own per event (that bookkeeping cost more
// than the rest of a sale). Only what has waited longer than a live request ever takes
// (a grace period) is driven, so a sweep never races a request still in flight; and
// every step is safe to repeat, so two sweepers, or a read model that lags, drive
// nothing twice.
//
// Steps are safe to repeat for as long as the products remember them
// (SALE_STEP_MEMORY_MS, a week). Anything left half-way for longer than that (the
// service was down all that time) is not driven: a repeated step could move its stock
// twice. It is logged as an error for someone to settle by hand, from its product streams.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Commands } from '../commands/index.js';
import { SALE_STEP_MEMORY_MS } from '../commands/product-state.js';
import type { ReadDb } from '../projections/read-db.js';

interface Stale {
  tenantId: string;
  saleId: string;
  correlationId: string;
  /** The return or void, for a restock. */
  returnId?: string;
}

/**
 * Drives every sale pending, and every restock unfinished, for longer than `graceMs`
 * (and less than the products' memory); returns how many it drove.
 */
export async function recoverSales(db: ReadDb, commands: Commands, logger: Logger, graceMs: number, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - SALE_STEP_MEMORY_MS);
  const until = new Date(now.getTime() - graceMs);
  const sales = db
    .selectFrom('sales')
    .select(['tenant_id as tenantId', 'id as saleId', sql<string>`coalesce(correlation_id, id::text)`.as('correlationId')])
    .where('status', '=', 'pending');
  const restocks = db
    .selectFrom('sale_restocks')
    .select(['tenant_id as tenantId', 'sale_id as saleId', 'correlation_id as correlationId', 'return_id as returnId'])
    .where(sql<boolean>`cardinality(pending_lines) > 0`);
  const forgotten: Stale[] = [
    ...(await sales.where('created_at', '<', since).limit(100).execute()),
    ...(await restocks.where('created_at', '<', since).limit(100).execute()),
  ];
  for (const stale of forgotten) {
    logger.error(stale, 'sale left half-way for longer than its products remember its steps: settle it by hand');
  }
  const due: Stale[] = [
    ...(await sales.where('created_at', '>=', since).where('created_at', '<=', until).orderBy('created_at').limit(100).execute()),
    ...(await restocks.where('created_at', '>=', since).where('created_at', '<=', until).orderBy('created_at').limit(100).execute()),
  ];
  let driven = 0;
  for (const stale of due) {
    const ctx = { tenantId: stale.tenantId, actorId: 'system:sale-recovery', correlationId: stale.correlationId, causationId: `recovery:${stale.returnId ?? stale.saleId}`, now };
    // Nothing to do when it had ended already and the read model had not caught up.
    if (stale.returnId) {
      const restocked = await commands.resumeRestock(ctx, stale.saleId, stale.returnId);
      if (restocked === 0) continue;
      logger.warn({ ...stale, restocked }, 'return left half-way put back in stock');
    } else {
      const outcome = await commands.resumeSale(ctx, stale.saleId);
      if (!outcome) continue;
      logger.warn({ ...stale, outcome: outcome.status }, 'sale left half-way driven to an end');
    }
    driven++;
  }
  return driven;
}
