// A product's history, read from the log itself: every event, newest first, with who
// did it, why, and the on-hand quantity it left.
import { decode } from '../events/index.js';
import type { ProductEvent } from '../events/product.js';
import { stockEffect } from '../events/stock-effects.js';
import { streams } from '../events/streams.js';
import { ZERO, quantityNumber } from '../events/values.js';
import { formatPosition, type EventStore } from '../eventstore/port.js';

export interface HistoryEntry {
  revision: number;
  position: string;
  type: string;
  occurredAt: string;
  actorId: string;
  reason: string | null;
  quantityChange: number;
  resultingQuantity: number;
  data: Record<string, unknown>;
}

const reasonOf = (e: ProductEvent): string | null =>
  e.type === 'StockAdjusted' ? e.data.reason : e.type === 'StockCountVarianceRecorded' ? 'count' : null;

export async function productHistory(store: EventStore, tenantId: string, productId: string): Promise<HistoryEntry[] | null> {
  const recorded = await store.readStream(streams.product(tenantId, productId));
  if (recorded.length === 0) return null;
  let onHand = ZERO;
  const entries: HistoryEntry[] = [];
  for (const r of recorded) {
    const e = decode(r);
    if (!e) continue;
    const change = stockEffect(e as ProductEvent).onHand;
    onHand = onHand.plus(change);
    entries.push({
      revision: Number(e.revision),
      position: formatPosition(e.position),
      type: e.type,
      occurredAt: e.metadata.occurredAt,
      actorId: e.metadata.actorId,
      reason: reasonOf(e as ProductEvent),
      quantityChange: quantityNumber(change),
      resultingQuantity: quantityNumber(onHand),
      data: e.data as Record<string, unknown>,
    });
  }
  return entries.reverse();
}
