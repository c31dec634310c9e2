// Groups a subscription into batches for the runner: a batch closes when it is full,
// when the store reports a checkpoint or catching up, or when no event arrived for a
// moment (live events trickle in one by one and must not wait for a full batch).
import { decode, type Stored } from '../events/index.js';
import { comparePositions, type Position, type SubscriptionItem } from '../eventstore/port.js';

export interface Batch {
  readonly events: Stored[];
  /** Everything up to here has been seen: the checkpoint to store with the batch. */
  readonly position: Position;
  /** True when this batch ends the catch-up from history. */
  readonly caughtUp: boolean;
}

const IDLE = Symbol('idle');

export async function* batches(
  items: AsyncIterable<SubscriptionItem>,
  { maxSize, idleMs }: { maxSize: number; idleMs: number },
): AsyncGenerator<Batch> {
  const iterator = items[Symbol.asyncIterator]();
  let events: Stored[] = [];
  let position: Position | null = null;
  let pending: Promise<IteratorResult<SubscriptionItem>> | null = null;
  const close = (caughtUp: boolean): Batch => {
    const batch = { events, position: position!, caughtUp };
    events = [];
    return batch;
  };
  try {
    for (;;) {
      pending ??= iterator.next();
      const next = events.length ? await raceIdle(pending, idleMs) : await pending;
      if (next === IDLE) {
        yield close(false);
        continue;
      }
      pending = null;
      if (next.done) {
        if (events.length) yield close(false);
        return;
      }
      const item = next.value;
      if (item.kind === 'event') {
        position = item.event.position;
        const event = decode(item.event);
        if (event) events.push(event);
        if (events.length >= maxSize) yield close(false);
      } else {
        if (!position || comparePositions(item.position, position) > 0) position = item.position;
        yield close(item.kind === 'caught-up');
      }
    }
  } finally {
    await iterator.return?.();
  }
}

async function raceIdle<T>(pending: Promise<T>, ms: number): Promise<T | typeof IDLE> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(resolve, ms, IDLE)));
  try {
    return await Promise.race([pending, idle]);
  } finally {
    clearTimeout(timer);
  }
}
