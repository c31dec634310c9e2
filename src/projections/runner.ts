// Runs one projection: subscribes from its checkpoint and applies each batch together
// with the new checkpoint in one transaction, so a crash never loses or repeats an
// event. One active runner per projection across every process (advisory lock).
// A batch that keeps failing is retried with backoff; then its events are applied one
// by one and the ones that still fail are parked (recorded with their error) instead
// of stopping the projection.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { isConnectionError } from '../database.js';
import type { Stored } from '../events/index.js';
import { formatPosition, parsePosition, type EventStore, type Position } from '../eventstore/port.js';
import { batches, type Batch } from './batches.js';
import { apply, eventTypesOf, type Projection } from './projection.js';
import type { ReadDb } from './read-db.js';
import type { Database } from './schema.js';
import { ExclusiveWorker, type WorkerOptions } from './worker.js';

export interface RunnerOptions extends WorkerOptions {
  store: EventStore;
  db: ReadDb;
  batchSize?: number;
  /** Close a partly filled batch after this long without a new event. */
  idleMs?: number;
  /** Attempts at a failing batch before its events are applied one by one. */
  attempts?: number;
}

export class ProjectionRunner extends ExclusiveWorker {
  constructor(
    readonly projection: Projection,
    private readonly options: RunnerOptions,
  ) {
    super(`projection:${projection.name}`, options);
  }

  /** Clears the projection's tables and checkpoint in one transaction, then catches up. */
  async rebuild(): Promise<void> {
    await this.exclusively(AbortSignal.timeout(60_000), async () => {
      await this.options.db.transaction().execute(async (tx) => {
        for (const table of this.projection.tables) await tx.deleteFrom(table).execute();
        await tx.deleteFrom('projection_checkpoints').where('name', '=', this.projection.name).execute();
        await tx.deleteFrom('parked_events').where('projection', '=', this.projection.name).execute();
      });
      await this.consume(this.controller.signal, true);
    });
  }

  protected async consume(signal: AbortSignal, untilCaughtUp: boolean): Promise<void> {
    const from = await checkpointOf(this.options.db, this.projection.name);
    const subscription = this.options.store.subscribe({
      ...(from ? { fromPosition: from } : {}),
      filter: { eventTypes: eventTypesOf(this.projection) },
      signal,
    });
    const grouped = batches(subscription, {
      maxSize: this.options.batchSize ?? 500,
      idleMs: this.options.idleMs ?? 5,
    });
    for await (const batch of grouped) {
      await this.applyBatch(batch);
      if (untilCaughtUp && batch.caughtUp) return;
    }
  }

  private async applyBatch(batch: Batch): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transaction(batch.events, batch.position);
        return;
      } catch (error) {
        // A lost database is not the events' fault: give up the lock and start over.
        if (isConnectionError(error)) throw error;
        if (attempt >= attempts) return this.applyOneByOne(batch);
        this.options.logger.warn({ err: error, projection: this.projection.name, attempt }, 'projection batch failed; retrying');
        await sleep((this.options.backoffMs ?? 200) * 2 ** (attempt - 1));
      }
    }
  }

  private async applyOneByOne(batch: Batch): Promise<void> {
    for (const event of batch.events) {
      try {
        await this.transaction([event], event.position);
      } catch (error) {
        if (isConnectionError(error)) throw error;
        await this.park(event, error);
      }
    }
    await this.transaction([], batch.position);
  }

  private async park(event: Stored, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger.error({ projection: this.projection.name, eventId: event.id, type: event.type, error: message }, 'event parked');
    await this.options.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('parked_events')
        .values({ projection: this.projection.name, event_id: event.id, position: formatPosition(event.position), type: event.type, error: message })
        .onConflict((oc) => oc.columns(['projection', 'event_id']).doNothing())
        .execute();
      await saveCheckpoint(tx, this.projection.name, event.position);
    });
  }

  private async transaction(events: readonly Stored[], position: Position): Promise<void> {
    await this.options.db.transaction().execute(async (tx) => {
      for (const event of events) await apply(this.projection, event, tx);
      await saveCheckpoint(tx, this.projection.name, position);
    });
  }
}

export async function checkpointOf(db: Kysely<Database>, name: string): Promise<Position | null> {
  const row = await db.selectFrom('projection_checkpoints').select('position').where('name', '=', name).executeTakeFirst();
  return row ? parsePosition(row.position) : null;
}

async function saveCheckpoint(db: Kysely<Database>, name: string, position: Position): Promise<void> {
  const text = formatPosition(position);
  await db
    .insertInto('projection_checkpoints')
    .values({ name, position: text })
    .onConflict((oc) => oc.column('name').doUpdateSet({ position: text, updated_at: new Date() }))
    .execute();
}
