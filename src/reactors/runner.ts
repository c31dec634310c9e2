// Runs one reactor: a subscriber with its own checkpoint that performs a side effect
// per event (DESIGN.md §7). At-least-once: the effect happens first, then the event is
// recorded as delivered together with the checkpoint, in one transaction. A crash in
// between repeats that one effect; an event recorded as delivered is never done again,
// whatever the subscription hands back (dedup by event id). Projection rebuilds never
// touch these tables, so a rebuild sends nothing. One active runner per reactor across
// processes (advisory lock), like the projection runners.
import { setTimeout as sleep } from 'node:timers/promises';
import { decode, type EventType, type Stored } from '../events/index.js';
import { formatPosition, parsePosition, type EventStore, type Position } from '../eventstore/port.js';
import type { ReadDb } from '../projections/read-db.js';
import { ExclusiveWorker, type WorkerOptions } from '../projections/worker.js';

export interface Outcome {
  status: 'done' | 'skipped';
  /** Why it was skipped, or what was done (never a secret). */
  detail?: string;
}

export interface Reactor {
  readonly name: string;
  readonly eventTypes: readonly EventType[];
  /** Performs the side effect. Throwing means "try again later". */
  react(event: Stored): Promise<Outcome>;
}

export interface ReactorRunnerOptions extends WorkerOptions {
  store: EventStore;
  db: ReadDb;
  /** Attempts per event before it is recorded as failed and passed over. */
  attempts?: number;
}

export class ReactorRunner extends ExclusiveWorker {
  constructor(
    readonly reactor: Reactor,
    private readonly options: ReactorRunnerOptions,
  ) {
    super(`reactor:${reactor.name}`, options);
  }

  protected async consume(signal: AbortSignal, untilCaughtUp: boolean): Promise<void> {
    const from = await reactorCheckpoint(this.options.db, this.reactor.name);
    const subscription = this.options.store.subscribe({
      ...(from ? { fromPosition: from } : {}),
      filter: { eventTypes: [...this.reactor.eventTypes] },
      signal,
    });
    for await (const item of subscription) {
      if (item.kind !== 'event') {
        await this.record(null, item.position);
        if (untilCaughtUp && item.kind === 'caught-up') return;
        continue;
      }
      const event = decode(item.event);
      if (event && !(await this.delivered(event.id))) await this.record({ event, outcome: await this.attempt(event, signal) }, event.position);
      else await this.record(null, item.event.position);
    }
  }

  private async attempt(event: Stored, signal: AbortSignal): Promise<Outcome | Error> {
    const attempts = this.options.attempts ?? 5;
    const log = { reactor: this.reactor.name, eventId: event.id, type: event.type };
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.reactor.react(event);
        this.options.logger.info({ ...log, ...outcome }, 'reaction');
        return outcome;
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        if (attempt >= attempts || signal.aborted) {
          this.options.logger.error({ ...log, err }, 'reaction failed; giving up on this event');
          return err;
        }
        this.options.logger.warn({ ...log, err, attempt }, 'reaction failed; retrying');
        await sleep((this.options.backoffMs ?? 500) * 2 ** (attempt - 1), undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async delivered(eventId: string): Promise<boolean> {
    const row = await this.options.db
      .selectFrom('reactor_deliveries')
      .select('event_id')
      .where('reactor', '=', this.reactor.name)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async record(delivery: { event: Stored; outcome: Outcome | Error } | null, position: Position): Promise<void> {
    const name = this.reactor.name;
    const text = formatPosition(position);
    await this.options.db.transaction().execute(async (tx) => {
      if (delivery) {
        const { event, outcome } = delivery;
        const failed = outcome instanceof Error;
        await tx
          .insertInto('reactor_deliveries')
          .values({ reactor: name, event_id: event.id, status: failed ? 'failed' : outcome.status, detail: failed ? outcome.message : (outcome.detail ?? null) })
          .onConflict((oc) => oc.columns(['reactor', 'event_id']).doNothing())
          .execute();
      }
      await tx
        .insertInto('reactor_checkpoints')
        .values({ name, position: text })
        .onConflict((oc) => oc.column('name').doUpdateSet({ position: text, updated_at: new Date() }))
        .execute();
    });
  }
}

export async function reactorCheckpoint(db: ReadDb, name: string): Promise<Position | null> {
  const row = await db.selectFrom('reactor_checkpoints').select('position').where('name', '=', name).executeTakeFirst();
  return row ? parsePosition(row.position) : null;
}
