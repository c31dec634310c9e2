// The command handler loop: load -> decide -> append with the expected revision -> on a
// concurrent change re-load and re-decide, a few times, then give up with 409.
// Loading costs one read of the events since the cached revision, not the whole stream;
// with a cold cache, since the latest snapshot (for deciders that have a codec).
import { LRUCache } from 'lru-cache';
import { decode, encode, type DomainEvent, type Stored } from '../events/index.js';
import { WrongExpectedRevision, type EventStore, type Position } from '../eventstore/port.js';
import type { SnapshotStore } from '../eventstore/snapshots.js';
import { metadataOf, newId, type CommandContext } from './context.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';

export interface Loaded<S> {
  readonly state: S;
  /** Revision of the last event folded in; -1 for a stream with no events. */
  readonly revision: bigint;
}

export interface Handled<S> extends Loaded<S> {
  /** Where the last appended event stands in the log; null when nothing was appended. */
  readonly position: Position | null;
}

export interface HandleOptions {
  /** Event ids for the decided events, by index: deterministic ids make a step safe to repeat. */
  readonly eventIds?: (index: number) => string;
  /** The revision the caller last saw (HTTP If-Match): any other is precondition-failed. */
  readonly ifRevision?: bigint;
  /** The stream is named by an id just generated: it is empty, no need to read it. */
  readonly newStream?: boolean;
}

const MAX_ATTEMPTS = 5;

export interface HandlerOptions {
  /** Streams whose state is kept in memory. */
  readonly cacheSize?: number;
  /** Where snapshots go; without it no stream is snapshotted. */
  readonly snapshots?: SnapshotStore | undefined;
  /** A snapshot each time a stream passes a multiple of this many events. */
  readonly snapshotEvery?: number;
}

export class AggregateHandler<C, E extends DomainEvent, S> {
  private readonly cache: LRUCache<string, Loaded<S>>;
  // Commands on one stream take turns within this process, so a hot stream (one product
  // many sell at once) queues instead of burning retries on conflicts. Across processes
  // the expected revision still decides.
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<C, E, S>,
    private readonly options: HandlerOptions = {},
  ) {
    this.cache = new LRUCache({ max: options.cacheSize ?? 10_000 });
  }

  /** The stream's current state: the cached (or snapshotted) state plus any events appended since. */
  async load(stream: string): Promise<Loaded<S>> {
    const known = this.cache.get(stream) ?? (await this.snapshotOf(stream)) ?? { state: this.decider.initialState, revision: -1n };
    const recorded = await this.store.readStream(stream, { fromRevision: known.revision + 1n });
    let state = known.state;
    for (const r of recorded) {
      const event = decode(r) as Stored<E> | null;
      if (event) state = this.decider.evolve(state, event);
    }
    const loaded = recorded.length === 0 ? known : { state, revision: recorded.at(-1)!.revision };
    this.remember(stream, known.revision, loaded);
    return loaded;
  }

  /**
   * The cached state when there is one, without asking the store. Only for facts that
   * never change once recorded (a tenant's default location).
   */
  async loadSettled(stream: string): Promise<Loaded<S>> {
    return this.cache.get(stream) ?? this.load(stream);
  }

  // Decides on the cached state and appends with its revision: when no one else wrote
  // to the stream meanwhile, that is the only round trip. Otherwise the append fails
  // with a wrong expected revision and the next attempt catches up first. A rejection
  // decided on cached state is checked against the stream as it is before it counts.
  async handle(stream: string, command: C, ctx: CommandContext, options: HandleOptions = {}): Promise<Handled<S>> {
    return this.queue.run(stream, () => this.decideAndAppend(stream, command, ctx, options));
  }

  private async decideAndAppend(stream: string, command: C, ctx: CommandContext, options: HandleOptions): Promise<Handled<S>> {
    const cached = this.cache.get(stream) ?? (options.newStream ? { state: this.decider.initialState, revision: -1n } : undefined);
    let loaded = cached ?? (await this.load(stream));
    let current = !cached;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { state, revision } = loaded;
      let events: E[];
      try {
        // A stream with no events is left to the decider: "not found" beats "changed".
        if (options.ifRevision !== undefined && revision >= 0n && options.ifRevision !== revision) {
          throw new DomainError('precondition-failed', { revision: Number(revision) });
        }
        events = this.decider.decide(command, state);
      } catch (error) {
        if (current || !(error instanceof DomainError)) throw error;
        loaded = await this.load(stream);
        current = true;
        continue;
      }
      if (events.length === 0) return { state, revision, position: null };
      const metadata = metadataOf(ctx);
      const toAppend = events.map((e, i) => encode(e, options.eventIds?.(i) ?? newId(), metadata));
      try {
        const result = await this.store.append(stream, toAppend, {
          expectedRevision: revision < 0n ? 'no_stream' : revision,
        });
        const next = { state: events.reduce(this.decider.evolve, state), revision: result.revision };
        this.remember(stream, revision, next);
        return { ...next, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        loaded = await this.load(stream);
        current = true;
      }
    }
    throw new DomainError('concurrent-change', { stream });
  }

  private async snapshotOf(stream: string): Promise<Loaded<S> | null> {
    const { snapshots } = this.options;
    const codec = this.decider.snapshot;
    if (!snapshots || !codec) return null;
    // A snapshot is a cache: when it cannot be read, the stream is read from its start.
    const snapshot = await snapshots.read(stream, codec.version).catch(() => null);
    return snapshot && { state: codec.decode(snapshot.state), revision: snapshot.revision };
  }

  /** Caches the state, and snapshots it when it passed a multiple of `snapshotEvery` events. */
  private remember(stream: string, before: bigint, loaded: Loaded<S>): void {
    this.cache.set(stream, loaded);
    const { snapshots } = this.options;
    const codec = this.decider.snapshot;
    const every = BigInt(this.options.snapshotEvery ?? 500);
    if (!snapshots || !codec || (loaded.revision + 1n) / every === (before + 1n) / every) return;
    // Not awaited: the command's answer need not wait for a cache, and a lost snapshot
    // costs only a longer load later.
    void snapshots.write(stream, codec.version, { revision: loaded.revision, state: codec.encode(loaded.state) }).catch(() => undefined);
  }
}

// One handler per aggregate and store in a process: every service that writes a stream
// shares its cache and its queue, so a receipt and a sale on one product take turns
// instead of conflicting, and neither reloads what the other just wrote.
const shared = new WeakMap<EventStore, { options: HandlerOptions; byDecider: Map<object, unknown> }>();

/** The handler options of every handler of this store created from now on (the composition root sets them). */
export function configureHandlers(store: EventStore, options: HandlerOptions): void {
  shared.set(store, { options, byDecider: new Map() });
}

export function handlerFor<C, E extends DomainEvent, S>(store: EventStore, decider: Decider<C, E, S>): AggregateHandler<C, E, S> {
  let handlers = shared.get(store);
  if (!handlers) shared.set(store, (handlers = { options: {}, byDecider: new Map() }));
  let handler = handlers.byDecider.get(decider) as AggregateHandler<C, E, S> | undefined;
  if (!handler) handlers.byDecider.set(decider, (handler = new AggregateHandler(store, decider, handlers.options)));
  return handler;
}

/** Runs tasks one at a time per key; different keys run concurrently. */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
