// The EventStoreDB (and KurrentDB) event store on `@eventstore/db-client`. Its tests run
// over the real gRPC protocol against the in-process double in test/support/esdb-double,
// and against a real server when EVENTSTORE_URL is set.
import {
  BACKWARDS,
  CancelledError,
  END,
  EventStoreDBClient,
  FORWARDS,
  START as FROM_START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Filter as ServerFilter,
  type JSONType,
  type Position as ClientPosition,
  type ReadPosition,
  type RecordedEvent as ClientRecordedEvent,
} from '@eventstore/db-client';
import {
  START,
  StoreUnavailable,
  StreamDeleted,
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

export interface EventStoreDbOptions {
  /** Attempts after the first when the server is unreachable (appends are safe to repeat: same event ids). */
  appendRetries?: number;
  /** First back-off delay; it doubles on each retry. */
  retryDelayMs?: number;
  /** Events per $all read while filtering on the client. */
  readPageSize?: number;
}

// The gRPC status the client reports for an unreachable server before it maps errors.
const GRPC_UNAVAILABLE = 14;

/** Stand-ins for the subscription's checkpoint and caught-up signals, queued among its events. */
class CheckpointSignal {
  constructor(readonly position: Position) {}
}
class CaughtUpSignal {
  readonly caughtUp = true;
}
type Delivery = AllStreamResolvedEvent | CheckpointSignal | CaughtUpSignal;

export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly closing = new AbortController();
  private readonly appendRetries: number;
  private readonly retryDelayMs: number;
  private readonly readPageSize: number;

  /** `connectionString`: e.g. `esdb://localhost:2113?tls=false`. */
  constructor(connectionString: string, options: EventStoreDbOptions = {}) {
    this.client = EventStoreDBClient.connectionString(connectionString);
    this.appendRetries = options.appendRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    // A page must hold more than the event it starts from (reads include their start).
    this.readPageSize = Math.max(2, options.readPageSize ?? 500);
  }

  async append(
    stream: string,
    events: readonly EventToAppend[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const proposed = events.map((e) =>
      jsonEvent({
        id: e.id,
        type: e.type,
        // The client writes data with JSON.stringify, which takes any JSON value; its
        // JSONType is narrower than the port's `unknown`. undefined has no JSON form.
        data: (e.data === undefined ? null : e.data) as JSONType,
        metadata: e.metadata,
      }),
    );
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.client.appendToStream(stream, proposed, { expectedRevision });
        if (!result.position) throw new Error(`EventStoreDB returned no position for an append to ${stream}`);
        return { revision: result.nextExpectedRevision, position: fromClient(result.position) };
      } catch (error) {
        // A retry cannot write twice: the server answers a repeat of the same ids at the
        // same place with the original result.
        if (!isUnavailable(error) || attempt >= this.appendRetries || this.closing.signal.aborted)
          throw toPortError(error, stream, expectedRevision);
        await delay(this.retryDelayMs * 2 ** attempt);
      }
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        direction,
        fromRevision: options.fromRevision ?? (direction === BACKWARDS ? END : FROM_START),
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      }))
        if (resolved.event) events.push(toRecorded(resolved.event));
    } catch (error) {
      // A stream that never existed or was soft-deleted reads as empty.
      if (error instanceof StreamNotFoundError) return [];
      throw toPortError(error, stream);
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    // Client v6 sends no filter with readAll, so $all is read in pages and filtered here.
    const keep = eventFilter(options.filter);
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (wanted <= 0) return events;
    let from: ReadPosition = !options.fromPosition || isStart(options.fromPosition) ? FROM_START : options.fromPosition;
    let seen: Position | null = null;
    for (;;) {
      const page = await this.readAllPage(from, FORWARDS);
      for (const event of page) {
        // Reads from a position include it: the page starts with the last one already seen.
        if (seen && comparePositions(event.position, seen) <= 0) continue;
        seen = event.position;
        if (keep(event)) events.push(event);
        if (events.length >= wanted) return events;
      }
      if (page.length < this.readPageSize || !seen) return events;
      from = seen;
    }
  }

  async headPosition(): Promise<Position> {
    // The newest event that is not a system event; backwards reads exclude their start.
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS);
      const found = page.find((e) => !isSystemType(e.type));
      if (found) return found.position;
      if (page.length < this.readPageSize) return START;
      from = page.at(-1)!.position;
    }
  }

  async *subscribe(options: SubscribeOptions = {}): AsyncGenerator<SubscriptionItem> {
    const signal = AbortSignal.any([this.closing.signal, ...(options.signal ? [options.signal] : [])]);
    if (signal.aborted) return;
    const keep = eventFilter(options.filter);
    const from = options.fromPosition && !isStart(options.fromPosition) ? options.fromPosition : null;
    // Servers before 24.2 never send caught-up: reaching what was the last record when
    // the subscription began says the same, whichever of the two comes first.
    const [lastAtStart] = await this.readAllPage(END, BACKWARDS, 1);
    const caughtUpAt = lastAtStart?.position ?? null;

    const subscription = this.client.subscribeToAll({
      fromPosition: from ?? FROM_START,
      filter: serverFilter(options.filter, (s, position) => {
        // Pushed into the subscription's own stream so that it stays in order with the
        // events around it and the stream's backpressure still applies.
        s.push(new CheckpointSignal(fromClient(position)));
      }),
    });
    subscription.on('caughtUp', () => subscription.push(new CaughtUpSignal()));
    const deliveries: AsyncIterable<Delivery> = subscription;
    // Ending the stream ends the loop below; racing each read against the signal instead
    // would pile one reaction per event onto a promise that may never settle.
    const stop = () => subscription.destroy();
    signal.addEventListener('abort', stop, { once: true });
    let last: Position | null = null;
    let caughtUp = false;
    const caughtUpItem = (): SubscriptionItem => {
      caughtUp = true;
      // Everything up to the old end has been delivered, and everything up to `last`.
      return { kind: 'caught-up', position: laterOf(last, laterOf(from, caughtUpAt)) ?? START };
    };
    /** -1 before the old end, 0 at it, 1 beyond it; null once caught up (or nothing to reach). */
    const sinceEnd = (position: Position) => (caughtUp || !caughtUpAt ? null : comparePositions(position, caughtUpAt));
    try {
      for await (const delivery of deliveries) {
        if (delivery instanceof CaughtUpSignal) {
          if (!caughtUp) yield caughtUpItem();
        } else if (delivery instanceof CheckpointSignal) {
          last = delivery.position;
          yield { kind: 'checkpoint', position: delivery.position };
          if ((sinceEnd(delivery.position) ?? -1) >= 0) yield caughtUpItem();
        } else if (delivery.event) {
          const event = toRecorded(delivery.event);
          // A live event beyond the old end follows caught-up; the last old one precedes it.
          if (sinceEnd(event.position) === 1) yield caughtUpItem();
          last = event.position;
          if (keep(event)) yield { kind: 'event', event };
          if (sinceEnd(event.position) === 0) yield caughtUpItem();
        }
      }
    } catch (error) {
      // Destroyed on abort: the stream reports a premature close, which is the request.
      if (signal.aborted) return;
      throw toPortError(error);
    } finally {
      signal.removeEventListener('abort', stop);
      // Cancelling the call does not end the client's stream, nor does ending the stream
      // cancel the call: do both.
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  }

  async ping(): Promise<void> {
    try {
      await this.readAllPage(END, BACKWARDS, 1);
    } catch (error) {
      throw error instanceof StoreUnavailable ? error : new StoreUnavailable('EventStoreDB did not answer', { cause: error });
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.client.dispose();
  }

  /** Soft delete: reads see no stream; a later append continues its numbering. Not part of the port. */
  async deleteStream(stream: string, expectedRevision: 'any' | 'no_stream' | bigint = 'any'): Promise<Position> {
    try {
      const result = await this.client.deleteStream(stream, { expectedRevision });
      return result.position ? fromClient(result.position) : START;
    } catch (error) {
      throw toPortError(error, stream, expectedRevision);
    }
  }

  /** Hard delete: every later append or read of the stream fails with StreamDeleted. Not part of the port. */
  async tombstoneStream(stream: string, expectedRevision: 'any' | 'no_stream' | bigint = 'any'): Promise<Position> {
    try {
      const result = await this.client.tombstoneStream(stream, { expectedRevision });
      return result.position ? fromClient(result.position) : START;
    } catch (error) {
      throw toPortError(error, stream, expectedRevision);
    }
  }

  /** One page of $all, every record including system events. */
  private async readAllPage(fromPosition: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS, maxCount = this.readPageSize) {
    const page: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount }))
        if (resolved.event) page.push(toRecorded(resolved.event));
    } catch (error) {
      throw toPortError(error);
    }
    return page;
  }
}

/**
 * The server-side part of a filter: stream prefixes when given (a tenant's streams),
 * else the event types as an exact-match regex, else every non-system event. What one
 * server filter cannot express is finished by `eventFilter` on the client.
 */
function serverFilter(
  filter: Filter | undefined,
  checkpointReached: (subscription: AllStreamSubscription, position: ClientPosition) => void,
): ServerFilter {
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes], checkpointReached });
  if (filter?.eventTypes?.length) {
    const alternatives = filter.eventTypes.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    return eventTypeFilter({ regex: `^(?:${alternatives})$`, checkpointReached });
  }
  return excludeSystemEvents({ checkpointReached });
}

/** The port's filter, plus excludeSystemEvents: system events (`$metadata`, tombstones, links) are the server's own. */
function eventFilter(filter: Filter | undefined): (event: RecordedEvent) => boolean {
  const prefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : null;
  const types = filter?.eventTypes?.length ? new Set(filter.eventTypes) : null;
  return (event) =>
    (!isSystemType(event.type) || (types?.has(event.type) ?? false)) &&
    (!prefixes || prefixes.some((p) => event.stream.startsWith(p))) &&
    (!types || types.has(event.type));
}

const isSystemType = (type: string) => type.startsWith('$');

const isStart = (p: Position) => p.commit === 0n && p.prepare === 0n;

function laterOf(a: Position | null, b: Position | null): Position | null {
  if (!a || !b) return a ?? b;
  return comparePositions(a, b) >= 0 ? a : b;
}

function fromClient(position: ClientPosition): Position {
  return { commit: position.commit, prepare: position.prepare };
}

function toRecorded(event: ClientRecordedEvent): RecordedEvent {
  if (!event.position) throw new Error(`EventStoreDB sent event ${event.id} without its position`);
  return {
    id: event.id,
    stream: event.streamId,
    revision: event.revision,
    position: fromClient(event.position),
    type: event.type,
    data: event.data,
    // Our metadata is always a JSON object; anything else was written by someone else.
    metadata: isRecord(event.metadata) ? event.metadata : {},
    recordedAt: event.created,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isUnavailable(error: unknown): boolean {
  if (error instanceof UnavailableError || error instanceof CancelledError) return true;
  // Before it maps errors (e.g. fetching server features) the client throws raw gRPC errors.
  return typeof error === 'object' && error !== null && 'code' in error && error.code === GRPC_UNAVAILABLE;
}

function toPortError(error: unknown, stream?: string, expected?: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError && stream !== undefined && expected !== undefined) {
    const actual = error.actualVersion;
    return new WrongExpectedRevision(stream, expected, actual === 'no_stream' || actual < 0n ? 'no_stream' : actual);
  }
  if (error instanceof StreamDeletedError) return new StreamDeleted(stream ?? error.streamName);
  if (isUnavailable(error)) return new StoreUnavailable('EventStoreDB is unreachable', { cause: error });
  return error;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
