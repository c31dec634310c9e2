// Read-your-writes: a client that sends the log position its command returned waits,
// bounded, until the projections it reads from have caught up with that position.
import { setTimeout as sleep } from 'node:timers/promises';
import { comparePositions, parsePosition, type EventStore, type Position } from '../eventstore/port.js';
import type { ReadDb } from '../projections/read-db.js';

const POLL_MS = 10;

export interface FreshnessSource {
  db: ReadDb;
  store: EventStore;
  /** The event types each projection applies. */
  eventTypes: Readonly<Record<string, readonly string[]>>;
}

/**
 * True once every named projection is caught up with `position`; false on timeout. A
 * projection is caught up when its checkpoint is at or past the position, or when the
 * log holds none of its event types between its checkpoint and the position: its
 * tables are then already what they will be at that position. (A store may report
 * checkpoints for filtered subscriptions only now and then, so a projection with
 * nothing to do can lag behind positions it has no events for.)
 */
export async function waitForPosition(source: FreshnessSource, projections: readonly string[], position: Position, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const caughtUp = new Set<string>();
  const checkedAt = new Map<string, string>();
  for (;;) {
    const rows = await source.db.selectFrom('projection_checkpoints').select(['name', 'position']).where('name', 'in', projections).execute();
    for (const name of projections) {
      if (caughtUp.has(name)) continue;
      const text = rows.find((r) => r.name === name)?.position ?? '';
      const at = parsePosition(text);
      if (at && comparePositions(at, position) >= 0) caughtUp.add(name);
      else if (checkedAt.get(name) !== text) {
        checkedAt.set(name, text);
        if (await nothingToApply(source, name, at, position)) caughtUp.add(name);
      }
    }
    if (caughtUp.size === projections.length) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

async function nothingToApply(source: FreshnessSource, name: string, from: Position | null, until: Position): Promise<boolean> {
  const eventTypes = source.eventTypes[name];
  if (!eventTypes?.length) return false;
  // A position the log has not reached yet may still get events before it.
  if (comparePositions(await source.store.headPosition(), until) < 0) return false;
  // readAll starts at its position inclusive: the event at the checkpoint is applied already.
  const next = (await source.store.readAll({ ...(from ? { fromPosition: from } : {}), filter: { eventTypes }, maxCount: 2 })).find(
    (e) => !from || comparePositions(e.position, from) > 0,
  );
  return !next || comparePositions(next.position, until) > 0;
}
