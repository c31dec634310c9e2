// The PostgreSQL event store on `pg` or PGlite (same SQL): see postgres-schema.ts for
// how the global order is kept gap-free and appends stay atomic.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionError, migrateUnderLock, type Pool } from '../database.js';
import { EVENT_STORE_SCHEMA } from './postgres-schema.js';
import {
  START,
  StoreUnavailable,
  WrongExpectedRevision,
  comparePositions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Filter,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type SubscriptionItem,
} from './port.js';

interface EventRow {
  commit_position: string;
  seq: number | string;
  event_id: string;
  stream: string;
  revision: number | string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

interface AppendRow {
  outcome: 'appended' | 'duplicate' | 'wrong_expected_revision';
  revision: number | string;
  commit_position: string | null;
  prepare_position: number | string | null;
}

export interface PostgresEventStoreOptions {
  /** How often an idle subscription looks for events appended by other processes. */
  pollIntervalMs?: number;
  /** Events per read while a subscription catches up. */
  pageSize?: number;
}

// The text form gets its own name: ORDER BY transaction_id must sort the xid8, not text.
const COLUMNS = 'transaction_id::text AS commit_position, seq, event_id, stream, revision, type, data, metadata, recorded_at';
// Only transactions below the oldest running one are final (see postgres-schema.ts).
const FINAL = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
const SETTLE_POLL_MS = 5;

export class PostgresEventStore implements EventStore {
  private readonly appended = new EventEmitter().setMaxListeners(0);
  private readonly closing = new AbortController();
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.pageSize = options.pageSize ?? 500;
  }

  /** Creates or updates the store's tables and function; safe to run concurrently. */
  async migrate(): Promise<void> {
    await migrateUnderLock(this.pool, 'es-schema', EVENT_STORE_SCHEMA);
  }

  async append(
    stream: string,
    events: readonly EventToAppend[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const { rows } = await this.run<AppendRow>(
      'SELECT * FROM es_append($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])',
      [
        stream,
        String(expectedRevision),
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
      ],
    );
    const row = rows[0]!;
    if (row.outcome === 'wrong_expected_revision') {
      const actual = BigInt(row.revision);
      throw new WrongExpectedRevision(stream, expectedRevision, actual < 0n ? 'no_stream' : actual);
    }
    this.appended.emit('append', stream, events.map((e) => e.type));
    return {
      revision: BigInt(row.revision),
      position: { commit: BigInt(row.commit_position!), prepare: BigInt(row.prepare_position!) },
    };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [stream];
    let where = 'stream = $1';
    if (options.fromRevision !== undefined) {
      params.push(String(options.fromRevision));
      where += ` AND revision ${backwards ? '<=' : '>='} $2::bigint`;
    }
    params.push(options.maxCount ?? null);
    const { rows } = await this.run<EventRow>(
      `SELECT ${COLUMNS} FROM es_events WHERE ${where}
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    await this.settle(this.closing.signal);
    return this.readFrom(options.fromPosition ?? START, '>=', options.filter, options.maxCount ?? null);
  }

  // Not settled (see settle): the health check reads it and must answer at once.
  async headPosition(): Promise<Position> {
    const { rows } = await this.run<{ commit_position: string; seq: number | string }>(
      `SELECT transaction_id::text AS commit_position, seq FROM es_events WHERE ${FINAL}
       ORDER BY transaction_id DESC, seq DESC LIMIT 1`,
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.seq) } : START;
  }

  async *subscribe(options: SubscribeOptions = {}): AsyncGenerator<SubscriptionItem> {
    const signal = AbortSignal.any([this.closing.signal, ...(options.signal ? [options.signal] : [])]);
    let after = options.fromPosition ?? null;
    let checkpointed = after;
    let caughtUp = false;
    // So that `caught-up` comes only after every event committed before this call.
    await this.settle(signal);
    while (!signal.aborted) {
      // Head and page come from one snapshot: everything up to the head is final, so
      // once the page comes back short, every matching event up to it was delivered.
      const { head, page } = await this.readPage(after ?? START, after ? '>' : '>=', options.filter);
      for (const event of page) {
        yield { kind: 'event', event };
        after = event.position;
      }
      if (page.length === this.pageSize) continue;
      const reached = after && comparePositions(after, head) > 0 ? after : head;
      if (!checkpointed || comparePositions(reached, checkpointed) > 0) {
        after = reached;
        checkpointed = reached;
        yield { kind: 'checkpoint', position: reached };
      }
      if (!caughtUp) {
        caughtUp = true;
        yield { kind: 'caught-up', position: reached };
      }
      await this.nextAppend(signal, options.filter);
    }
  }

  async ping(): Promise<void> {
    await this.run('SELECT 1');
  }

  async close(): Promise<void> {
    this.closing.abort();
  }

  /**
   * Waits until every event committed before this call is final: readers see only
   * transactions below the oldest running one (server-wide), and one still running
   * may yet commit events before those already visible. Writes are short, so this
   * is almost always one query; a long-open writing transaction holds it back.
   */
  private async settle(signal: AbortSignal): Promise<void> {
    const newest = `SELECT transaction_id::text AS commit_position, transaction_id < pg_snapshot_xmin(pg_current_snapshot()) AS final
       FROM es_events ORDER BY transaction_id DESC, seq DESC LIMIT 1`;
    const [last] = (await this.run<{ commit_position: string; final: boolean }>(newest)).rows;
    if (!last || last.final) return;
    const isFinal = `SELECT $1::text::xid8 < pg_snapshot_xmin(pg_current_snapshot()) AS final`;
    while (!signal.aborted && !(await this.run<{ final: boolean }>(isFinal, [last.commit_position])).rows[0]!.final) {
      await sleep(SETTLE_POLL_MS, undefined, { signal }).catch(() => undefined);
    }
  }

  private async readFrom(
    from: Position,
    op: '>' | '>=',
    filter: Filter | undefined,
    limit: number | null,
  ): Promise<RecordedEvent[]> {
    const { where, params } = selection(from, op, filter);
    params.push(limit);
    const { rows } = await this.run<EventRow>(
      `SELECT ${COLUMNS} FROM es_events WHERE ${where}
       ORDER BY transaction_id, seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(toRecorded);
  }

  private async readPage(from: Position, op: '>' | '>=', filter: Filter | undefined): Promise<{ head: Position; page: RecordedEvent[] }> {
    const { where, params } = selection(from, op, filter);
    params.push(this.pageSize);
    const { rows } = await this.run<Partial<EventRow> & { head_commit: string; head_seq: number | string }>(
      `WITH page AS (
         SELECT transaction_id AS xid, ${COLUMNS} FROM es_events WHERE ${where}
         ORDER BY transaction_id, seq LIMIT $${params.length}),
       head AS (
         SELECT transaction_id::text AS head_commit, seq AS head_seq FROM es_events WHERE ${FINAL}
         ORDER BY transaction_id DESC, seq DESC LIMIT 1)
       SELECT head.head_commit, head.head_seq, page.* FROM head LEFT JOIN page ON true
       ORDER BY page.xid, page.seq`,
      params,
    );
    const first = rows[0];
    if (!first) return { head: START, page: [] };
    const page = rows.filter((r): r is EventRow & typeof r => r.event_id != null).map(toRecorded);
    return { head: { commit: BigInt(first.head_commit), prepare: BigInt(first.head_seq) }, page };
  }

  /**
   * Resolves on a local append the filter lets through, after the poll interval (other
   * processes' appends, and checkpoints past filtered-out stretches), or on abort.
   */
  private nextAppend(signal: AbortSignal, filter: Filter | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.appended.off('append', onAppend);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const onAppend = (stream: string, types: string[]) => {
        if (matches(filter, stream, types)) done();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.appended.on('append', onAppend);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async run<R>(text: string, params?: readonly unknown[]) {
    try {
      return await this.pool.query<R>(text, params);
    } catch (error) {
      throw isConnectionError(error) ? new StoreUnavailable('event store unreachable', { cause: error }) : error;
    }
  }
}

function selection(from: Position, op: '>' | '>=', filter: Filter | undefined): { where: string; params: unknown[] } {
  const params: unknown[] = [String(from.commit), String(from.prepare)];
  let where = `(transaction_id, seq) ${op} ($1::text::xid8, $2::bigint) AND ${FINAL}`;
  if (filter?.streamPrefixes?.length) {
    params.push(filter.streamPrefixes.map((p) => `${p.replace(/[\\%_]/g, '\\$&')}%`));
    where += ` AND stream LIKE ANY ($${params.length}::text[])`;
  }
  if (filter?.eventTypes?.length) {
    params.push(filter.eventTypes);
    where += ` AND type = ANY ($${params.length}::text[])`;
  }
  return { where, params };
}

function matches(filter: Filter | undefined, stream: string, types: readonly string[]): boolean {
  if (filter?.streamPrefixes?.length && !filter.streamPrefixes.some((p) => stream.startsWith(p))) return false;
  if (filter?.eventTypes?.length && !types.some((t) => filter.eventTypes!.includes(t))) return false;
  return true;
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    stream: row.stream,
    revision: BigInt(row.revision),
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.seq) },
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
