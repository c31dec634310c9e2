// The double's database: one transaction log ($all) and the streams indexed over it.
// The write decision follows the server's commit check (IndexWriter.CheckCommit): the
// expected-revision modes, idempotency by event id, soft-deleted and tombstoned streams.
import { randomUUID } from 'node:crypto';

/** EventNumber.DeletedStream (long.MaxValue): a tombstone's revision and a soft delete's `$tb`. */
export const DELETED = 9223372036854775807n;

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  readonly stream: string;
  readonly revision: bigint;
  /** Byte offset in the log; commit == prepare, as for every single-stream write. */
  readonly position: bigint;
  /** .NET ticks since the Unix epoch. */
  readonly created: bigint;
}

export type Expected = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type WriteOutcome =
  | { readonly kind: 'written'; readonly revision: bigint; readonly position: bigint | null }
  | { readonly kind: 'wrong-expected-version'; readonly current: bigint | null }
  | { readonly kind: 'stream-deleted' };

export type StreamRead =
  | { readonly kind: 'found'; readonly records: LogRecord[] }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'deleted' };

type Decision =
  | { readonly kind: 'ok' }
  | { readonly kind: 'idempotent'; readonly last: LogRecord }
  | { readonly kind: 'wrong-expected-version' }
  | { readonly kind: 'deleted' };

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
const metastreamOf = (stream: string) => `$$${stream}`;
const json = (value: string) => new Uint8Array(Buffer.from(value, 'utf8'));

export class EventLog {
  /** $all, in log order. */
  readonly all: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly tombstoned = new Set<string>();
  /** `$tb` of each stream's latest `$metadata` event. */
  private readonly truncateBefore = new Map<string, bigint>();
  /** The server's committed-events cache, kept whole here: every id is "recent". */
  private readonly byId = new Map<string, LogRecord>();
  private readonly waiters = new Set<() => void>();
  // The first record of a real chunk is the epoch record, which no read returns.
  private nextPosition = 128n;

  constructor() {
    // A fresh node writes system events before any client does, so $all never holds
    // only user events: filters such as excludeSystemEvents have something to exclude.
    this.write('$$$scavenges', [systemEvent('$metadata', '{"$maxAge":2592000}')]);
    this.write('$$$stats-127.0.0.1:2113', [systemEvent('$metadata', '{"$maxAge":86400}')]);
  }

  /** The stream's last revision: -1 when it has none, DELETED once tombstoned. */
  lastRevision(stream: string): bigint {
    if (this.tombstoned.has(stream)) return DELETED;
    return BigInt((this.streams.get(stream)?.length ?? 0) - 1);
  }

  isTombstoned(stream: string): boolean {
    return this.tombstoned.has(stream);
  }

  /** Revisions below this are hidden from reads (stream metadata `$tb`). */
  firstVisible(stream: string): bigint {
    return this.truncateBefore.get(stream) ?? 0n;
  }

  append(stream: string, events: readonly ProposedEvent[], expected: Expected): WriteOutcome {
    const decision = this.check(stream, expected, events.map((e) => e.id));
    switch (decision.kind) {
      case 'deleted':
        return { kind: 'stream-deleted' };
      case 'wrong-expected-version': {
        const current = this.lastRevision(stream);
        return { kind: 'wrong-expected-version', current: current < 0n ? null : current };
      }
      case 'idempotent':
        return { kind: 'written', revision: decision.last.revision, position: decision.last.position };
      case 'ok':
        if (this.isSoftDeleted(stream) && events.length > 0) {
          // Appending to a soft-deleted stream recreates it: numbering continues and
          // the metadata now hides only what came before (SoftUndeleteStream).
          this.write(metastreamOf(stream), [systemEvent('$metadata', `{"$tb":${this.lastRevision(stream) + 1n}}`)]);
        }
        return this.write(stream, events);
    }
  }

  /** Soft delete: a `$metadata` event with `$tb` = DELETED on the metastream. */
  softDelete(stream: string, expected: Expected): WriteOutcome {
    const refusal = this.refusal(stream, expected);
    if (refusal) return refusal;
    return this.write(metastreamOf(stream), [systemEvent('$metadata', `{"$tb":${DELETED}}`)]);
  }

  /** Hard delete: a `$streamDeleted` tombstone; the stream can never be written or read again. */
  tombstone(stream: string, expected: Expected): WriteOutcome {
    const refusal = this.refusal(stream, expected);
    if (refusal) return refusal;
    this.tombstoned.add(stream);
    const record = this.record(stream, DELETED, {
      id: randomUUID(),
      type: '$streamDeleted',
      isJson: false,
      data: new Uint8Array(),
      customMetadata: new Uint8Array(),
    });
    this.all.push(record);
    this.notify();
    return { kind: 'written', revision: DELETED, position: record.position };
  }

  readStream(stream: string, from: bigint | 'start' | 'end', backwards: boolean, count: bigint): StreamRead {
    if (this.tombstoned.has(stream)) return { kind: 'deleted' };
    const records = this.streams.get(stream) ?? [];
    const visibleFrom = this.firstVisible(stream);
    if (records.length === 0 || visibleFrom === DELETED) return { kind: 'not-found' };
    const last = BigInt(records.length - 1);
    const out: LogRecord[] = [];
    if (backwards) {
      let r = from === 'end' ? last : from === 'start' ? 0n : from > last ? last : from;
      for (; r >= visibleFrom && BigInt(out.length) < count; r--) out.push(records[Number(r)]!);
    } else {
      let r = from === 'start' ? 0n : from === 'end' ? last + 1n : from;
      if (r < visibleFrom) r = visibleFrom;
      for (; r <= last && BigInt(out.length) < count; r++) out.push(records[Number(r)]!);
    }
    return { kind: 'found', records: out };
  }

  /** Forwards from P includes P; backwards from P returns only what is before P. */
  readAll(from: bigint | 'start' | 'end', backwards: boolean, count: bigint, keep: (r: LogRecord) => boolean): LogRecord[] {
    const out: LogRecord[] = [];
    if (backwards) {
      let i = from === 'end' ? this.all.length - 1 : from === 'start' ? -1 : this.firstIndexAtOrAfter(from) - 1;
      for (; i >= 0 && BigInt(out.length) < count; i--) if (keep(this.all[i]!)) out.push(this.all[i]!);
    } else {
      let i = from === 'start' ? 0 : from === 'end' ? this.all.length : this.firstIndexAtOrAfter(from);
      for (; i < this.all.length && BigInt(out.length) < count; i++) if (keep(this.all[i]!)) out.push(this.all[i]!);
    }
    return out;
  }

  /** Index in $all of the first record at or after the position. */
  firstIndexAtOrAfter(position: bigint): number {
    let lo = 0;
    let hi = this.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.all[mid]!.position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Resolves on the next write, or when `stop` resolves. */
  nextWrite(stop: Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      void stop.then(done);
    });
  }

  private isSoftDeleted(stream: string): boolean {
    return this.truncateBefore.get(stream) === DELETED;
  }

  /** Deletes are checked like a write of one new event id: never idempotent. */
  private refusal(stream: string, expected: Expected): WriteOutcome | null {
    const decision = this.check(stream, expected, [randomUUID()]);
    if (decision.kind === 'deleted') return { kind: 'stream-deleted' };
    if (decision.kind === 'wrong-expected-version') {
      const current = this.lastRevision(stream);
      return { kind: 'wrong-expected-version', current: current < 0n ? null : current };
    }
    return null;
  }

  private check(stream: string, expected: Expected, ids: readonly string[]): Decision {
    const current = this.lastRevision(stream);
    if (current === DELETED) return { kind: 'deleted' };
    if (expected === 'stream_exists') {
      if (this.isSoftDeleted(stream)) return { kind: 'deleted' };
      // A stream with metadata but no events counts as existing.
      if (current < 0n && this.lastRevision(metastreamOf(stream)) < 0n) return { kind: 'wrong-expected-version' };
    }
    if (expected === 'any' || expected === 'stream_exists') {
      let last: LogRecord | null = null;
      for (const id of ids) {
        const seen = this.byId.get(id);
        // Some ids written and others not is "corrupted idempotency": a conflict.
        if (!seen || seen.stream !== stream) return last ? { kind: 'wrong-expected-version' } : { kind: 'ok' };
        last = seen;
      }
      return last ? { kind: 'idempotent', last } : { kind: 'ok' };
    }
    const exp = expected === 'no_stream' ? -1n : expected;
    if (exp < current) {
      const records = this.streams.get(stream)!;
      let revision = exp;
      for (const id of ids) {
        revision += 1n;
        if (records[Number(revision)]?.id === id) continue;
        if (revision !== exp + 1n) return { kind: 'wrong-expected-version' };
        if (exp === -1n && this.isSoftDeleted(stream)) return { kind: 'ok' };
        return { kind: 'wrong-expected-version' };
      }
      if (revision === exp) return { kind: 'wrong-expected-version' };
      return { kind: 'idempotent', last: records[Number(revision)]! };
    }
    if (exp > current) return { kind: 'wrong-expected-version' };
    return { kind: 'ok' };
  }

  private write(stream: string, events: readonly ProposedEvent[]): WriteOutcome {
    let records = this.streams.get(stream);
    if (!records) this.streams.set(stream, (records = []));
    if (events.length === 0) {
      // Nothing written: the result reports the stream as it is, without a position.
      return { kind: 'written', revision: BigInt(records.length - 1), position: null };
    }
    let last: LogRecord | null = null;
    for (const event of events) {
      last = this.record(stream, BigInt(records.length), event);
      records.push(last);
      this.all.push(last);
      this.byId.set(last.id, last);
      if (stream.startsWith('$$') && event.type === '$metadata') this.applyMetadata(stream.slice(2), event.data);
    }
    this.notify();
    return { kind: 'written', revision: last!.revision, position: last!.position };
  }

  private record(stream: string, revision: bigint, event: ProposedEvent): LogRecord {
    const position = this.nextPosition;
    // Roughly a prepare record's size: header, ids, names, payloads and length suffix.
    const size = 100 + utf8(stream) + utf8(event.type) + event.data.length + event.customMetadata.length;
    this.nextPosition += BigInt(size);
    return { ...event, stream, revision, position, created: BigInt(Date.now()) * 10000n };
  }

  private applyMetadata(stream: string, data: Uint8Array): void {
    // Read as text: JSON.parse would round long.MaxValue to a different number.
    const tb = /"\$tb"\s*:\s*(\d+)/.exec(Buffer.from(data).toString('utf8'));
    if (tb) this.truncateBefore.set(stream, BigInt(tb[1]!));
    else this.truncateBefore.delete(stream);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function systemEvent(type: string, body: string): ProposedEvent {
  return { id: randomUUID(), type, isJson: true, data: json(body), customMetadata: new Uint8Array() };
}
