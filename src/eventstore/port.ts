// The event store port: one interface, one contract suite (test/eventstore/contract.ts),
// an adapter per store. Payloads are plain JSON here; typing and upcasting happen in
// src/events, above the port.

/**
 * A place in the global order. Compared as the pair (commit, prepare). EventStoreDB
 * gives its commit/prepare positions; the PostgreSQL adapter gives (transaction id,
 * sequence), which is the order in which a reader can see events without gaps.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: Position = { commit: 0n, prepare: 0n };

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `<commit>.<prepare>`: the form positions take in headers, responses and checkpoints. */
export function formatPosition(p: Position): string {
  return `${p.commit}.${p.prepare}`;
}

export function parsePosition(text: string): Position | null {
  const m = /^(\d{1,20})\.(\d{1,20})$/.exec(text.trim());
  return m ? { commit: BigInt(m[1]!), prepare: BigInt(m[2]!) } : null;
}

/** `any`, `no_stream`, `stream_exists`, or the exact revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EventToAppend {
  /** UUID; appending the same ids at the same place again is a no-op that succeeds. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
}

export interface RecordedEvent {
  readonly id: string;
  readonly stream: string;
  /** 0-based number of the event in its stream. */
  readonly revision: bigint;
  readonly position: Position;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: Date;
}

export interface AppendResult {
  /** The stream's revision after the append (its last event). */
  readonly revision: bigint;
  /** The position of the last appended event. */
  readonly position: Position;
}

export interface Filter {
  /** Keep events whose stream name starts with one of these. */
  readonly streamPrefixes?: readonly string[];
  /** Keep events of these types. */
  readonly eventTypes?: readonly string[];
}

export interface ReadStreamOptions {
  /** Inclusive. Default: the first event forwards, the last backwards. */
  readonly fromRevision?: bigint;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Inclusive; default the start of the log. */
  readonly fromPosition?: Position;
  readonly filter?: Filter;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive: events after this position. Default: from the start of the log. */
  readonly fromPosition?: Position;
  readonly filter?: Filter;
  readonly signal?: AbortSignal;
}

/**
 * What a catch-up subscription yields. A `checkpoint` says every event up to
 * `position` that matches the filter has been delivered: a runner may store it as
 * its checkpoint even if no matching event came (filtered-out stretches are not
 * re-read). `caught-up` marks the switch from history to live events: every event
 * committed before the subscription began has been delivered by then.
 */
export type SubscriptionItem =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  | { readonly kind: 'checkpoint'; readonly position: Position }
  | { readonly kind: 'caught-up'; readonly position: Position };

export interface EventStore {
  append(
    stream: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Events of one stream; an empty array for a stream that does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Events of the whole log in global order (forwards), optionally filtered: every
   * matching event committed before the call, from `fromPosition` on.
   */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up subscription: history from `fromPosition`, then live, without a gap. */
  subscribe(options?: SubscribeOptions): AsyncIterable<SubscriptionItem>;
  /**
   * The position of the last event in the log that readers see (START when empty). On
   * the Postgres store it may trail events committed a moment ago, while an older
   * transaction is still open.
   */
  headPosition(): Promise<Position>;
  /** Resolves when the store answers; throws StoreUnavailable otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export class StreamDeleted extends Error {
  override readonly name = 'StreamDeleted';
  constructor(readonly stream: string) {
    super(`Stream ${stream} is deleted`);
  }
}

export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
