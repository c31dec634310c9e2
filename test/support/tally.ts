// A test projection that records every event it applies, without a uniqueness
// constraint, so an event applied twice shows up as a duplicate row.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { encode } from '../../src/events/index.js';
import { StockReceived } from '../../src/events/product.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { projection } from '../../src/projections/projection.js';
import type { ReadDb } from '../../src/projections/read-db.js';

export const tallyProjection = (onApply: (eventId: string) => void = () => undefined) =>
  projection('tally', [], {
    StockReceived: async (e, tx) => {
      onApply(e.id);
      await sql`INSERT INTO tally_applied (event_id) VALUES (${e.id})`.execute(tx);
    },
  });

export async function createTallyTable(db: ReadDb): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS tally_applied (event_id uuid NOT NULL)`.execute(db);
}

export async function tallyCounts(db: ReadDb): Promise<{ rows: number; distinct: number }> {
  const { rows } = await sql<{ rows: number; distinct: number }>`
    SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct FROM tally_applied`.execute(db);
  return rows[0]!;
}

/** Appends `count` receipts spread over a few product streams; returns their ids in log order. */
export async function appendReceipts(store: EventStore, count: number): Promise<string[]> {
  const tenantId = randomUUID();
  const products = [randomUUID(), randomUUID(), randomUUID()];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const productId = products[i % products.length]!;
    const event = StockReceived.of({ productId, locationId: tenantId, lot: null, quantity: '1', unitCost: '1', value: '1', expiresOn: null });
    const id = randomUUID();
    await store.append(`${tenantId}:product-${productId}`, [
      encode(event, id, { tenantId, actorId: 'system:test', correlationId: 'c', causationId: 'c', occurredAt: new Date().toISOString() }),
    ], { expectedRevision: 'any' });
    ids.push(id);
  }
  return ids;
}
