// The event store contract: every adapter runs exactly these tests.
// Written for a shared log too (a real EventStoreDB holds other runs' events and
// system events): each test uses its own stream prefix and starts from the head.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import {
  WrongExpectedRevision,
  comparePositions,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
} from '../../src/eventstore/port.js';

import type { Test } from '../support/tap.js';
export type StoreFactory = (t: Test) => Promise<EventStore>;

const ev = (type = 'Happened', data: unknown = {}): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { tenantId: 'contract' },
});

const uniquePrefix = () => `c${randomUUID().slice(0, 8)}-`;

async function expectWrong(t: Test, p: Promise<unknown>, actual: bigint | 'no_stream') {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  t.type(error, WrongExpectedRevision, 'a wrong expected revision');
  if (error instanceof WrongExpectedRevision) t.equal(error.actual, actual, `actual revision ${actual}`);
}

async function collect(
  store: EventStore,
  opts: Parameters<EventStore['subscribe']>[0],
  until: (events: RecordedEvent[]) => boolean,
): Promise<RecordedEvent[]> {
  const controller = new AbortController();
  const events: RecordedEvent[] = [];
  for await (const item of store.subscribe({ ...opts, signal: controller.signal })) {
    if (item.kind === 'event') events.push(item.event);
    if (until(events)) {
      controller.abort();
      break;
    }
  }
  return events;
}

export function eventStoreContract(name: string, makeStore: StoreFactory): void {
  t.test(`${name}: event store contract`, async (t) => {
    t.test('no_stream creates a stream once', async (t) => {
      const store = await makeStore(t);
      const s = `${uniquePrefix()}a`;
      const r = await store.append(s, [ev(), ev()], { expectedRevision: 'no_stream' });
      t.equal(r.revision, 1n, 'two events: revision 1');
      await expectWrong(t, store.append(s, [ev()], { expectedRevision: 'no_stream' }), 1n);
      t.equal((await store.readStream(s)).length, 2, 'the rejected append wrote nothing');
    });

    t.test('exact revision, stream_exists and any', async (t) => {
      const store = await makeStore(t);
      const s = `${uniquePrefix()}b`;
      await expectWrong(t, store.append(s, [ev()], { expectedRevision: 'stream_exists' }), 'no_stream');
      await expectWrong(t, store.append(s, [ev()], { expectedRevision: 0n }), 'no_stream');
      await store.append(s, [ev()], { expectedRevision: 'any' });
      const r = await store.append(s, [ev()], { expectedRevision: 0n });
      t.equal(r.revision, 1n);
      await expectWrong(t, store.append(s, [ev()], { expectedRevision: 0n }), 1n);
      await expectWrong(t, store.append(s, [ev()], { expectedRevision: 7n }), 1n);
      const r2 = await store.append(s, [ev()], { expectedRevision: 'stream_exists' });
      t.equal(r2.revision, 2n);
      t.same((await store.readStream(s)).map((e) => e.revision), [0n, 1n, 2n]);
    });

    t.test('appends are idempotent by event id', async (t) => {
      const store = await makeStore(t);
      const s = `${uniquePrefix()}c`;
      const batch = [ev('A'), ev('B')];
      const first = await store.append(s, batch, { expectedRevision: 'no_stream' });
      const again = await store.append(s, batch, { expectedRevision: 'no_stream' });
      t.equal(again.revision, first.revision, 'the repeat reports the original revision');
      t.equal(comparePositions(again.position, first.position), 0, 'and the original position');
      const next = [ev('C')];
      await store.append(s, next, { expectedRevision: 1n });
      const repeat = await store.append(s, next, { expectedRevision: 1n });
      t.equal(repeat.revision, 2n);
      const anyRepeat = await store.append(s, next, { expectedRevision: 'any' });
      t.equal(anyRepeat.revision, 2n, 'a repeat with any is a no-op too');
      t.same(
        (await store.readStream(s)).map((e) => e.type),
        ['A', 'B', 'C'],
        'nothing was written twice',
      );
      // Some ids already written, some not: the place they claim is taken, whatever the store.
      await expectWrong(t, store.append(s, [next[0]!, ev('D')], { expectedRevision: 1n }), 2n);
    });

    t.test('concurrent appends with the same expected revision: exactly one wins', async (t) => {
      const store = await makeStore(t);
      const s = `${uniquePrefix()}d`;
      await store.append(s, [ev()], { expectedRevision: 'no_stream' });
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, () => store.append(s, [ev()], { expectedRevision: 0n })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      t.equal(won.length, 1, 'one append succeeded');
      t.ok(
        lost.every((r) => r.status === 'rejected' && r.reason instanceof WrongExpectedRevision),
        'every other one was a wrong expected revision',
      );
      t.equal((await store.readStream(s)).length, 2);
    });

    t.test('readStream: directions, bounds, missing streams', async (t) => {
      const store = await makeStore(t);
      const s = `${uniquePrefix()}e`;
      await store.append(s, [ev('0'), ev('1'), ev('2'), ev('3')], { expectedRevision: 'no_stream' });
      const types = (es: RecordedEvent[]) => es.map((e) => e.type);
      t.same(types(await store.readStream(s, { fromRevision: 1n, maxCount: 2 })), ['1', '2']);
      t.same(types(await store.readStream(s, { direction: 'backwards', maxCount: 2 })), ['3', '2']);
      t.same(types(await store.readStream(s, { direction: 'backwards', fromRevision: 1n })), ['1', '0']);
      t.same(await store.readStream(`${uniquePrefix()}missing`), [], 'a missing stream reads empty');
      const [first] = await store.readStream(s);
      t.same(first?.data, {}, 'data round-trips');
      t.equal(first?.metadata.tenantId, 'contract', 'metadata round-trips');
    });

    t.test('readAll: global order, inclusive start, filters', async (t) => {
      const store = await makeStore(t);
      const prefix = uniquePrefix();
      await store.append(`${prefix}x`, [ev('X1', { n: 1 })], { expectedRevision: 'any' });
      await store.append(`${uniquePrefix()}other`, [ev('X1')], { expectedRevision: 'any' });
      await store.append(`${prefix}y`, [ev('Y1'), ev('X2')], { expectedRevision: 'any' });
      const mine = await store.readAll({ filter: { streamPrefixes: [prefix] } });
      t.same(
        mine.map((e) => e.type),
        ['X1', 'Y1', 'X2'],
        'only the prefix, in append order',
      );
      for (let i = 1; i < mine.length; i++)
        t.ok(comparePositions(mine[i - 1]!.position, mine[i]!.position) < 0, 'positions increase');
      const fromSecond = await store.readAll({ fromPosition: mine[1]!.position, filter: { streamPrefixes: [prefix] } });
      t.same(fromSecond.map((e) => e.type), ['Y1', 'X2'], 'fromPosition is inclusive');
      const typed = await store.readAll({ filter: { streamPrefixes: [prefix], eventTypes: ['X2'] } });
      t.same(typed.map((e) => e.type), ['X2'], 'event type filter');
      const one = await store.readAll({ filter: { streamPrefixes: [prefix] }, maxCount: 1 });
      t.equal(one.length, 1, 'maxCount');
    });

    t.test('subscribe: catch-up, checkpoint, then live', async (t) => {
      const store = await makeStore(t);
      const prefix = uniquePrefix();
      const start = await store.headPosition();
      await store.append(`${prefix}s`, [ev('Old')], { expectedRevision: 'any' });
      const controller = new AbortController();
      const seen: string[] = [];
      let checkpoint: Position | null = null;
      let caughtUp = false;
      const done = (async () => {
        for await (const item of store.subscribe({
          fromPosition: start,
          filter: { streamPrefixes: [prefix] },
          signal: controller.signal,
        })) {
          if (item.kind === 'event') seen.push(item.event.type);
          if (item.kind === 'checkpoint') checkpoint = item.position;
          if (item.kind === 'caught-up') {
            caughtUp = true;
            await store.append(`${prefix}s`, [ev('New')], { expectedRevision: 'any' });
          }
          if (seen.length === 2) controller.abort();
        }
      })();
      await done;
      t.same(seen, ['Old', 'New'], 'history then live, each once');
      t.ok(caughtUp, 'reported caught-up');
      t.ok(checkpoint, 'reported a checkpoint');

      const after = await store.readAll({ fromPosition: start, filter: { streamPrefixes: [prefix] } });
      const resumed = await collect(store, { fromPosition: after[0]!.position, filter: { streamPrefixes: [prefix] } }, (e) => e.length === 1);
      t.same(resumed.map((e) => e.type), ['New'], 'subscribe starts after fromPosition');
    });

    t.test('no skipped events: a subscriber sees every concurrent append exactly once, in order', async (t) => {
      const store = await makeStore(t);
      const prefix = uniquePrefix();
      const start = await store.headPosition();
      const writers = 8;
      const perWriter = 40;
      const total = writers * perWriter + writers; // plus one shared-stream append each
      const reading = collect(store, { fromPosition: start, filter: { streamPrefixes: [prefix] } }, (e) => e.length >= total);
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < perWriter; i++)
            await store.append(`${prefix}w${w}-${i % 5}`, [ev('W', { w, i })], { expectedRevision: 'any' });
          await store.append(`${prefix}shared`, [ev('S', { w })], { expectedRevision: 'any' });
        }),
      );
      const seen = await reading;
      t.equal(seen.length, total, 'every event arrived');
      t.equal(new Set(seen.map((e) => e.id)).size, total, 'none twice');
      let ordered = true;
      for (let i = 1; i < seen.length; i++)
        if (comparePositions(seen[i - 1]!.position, seen[i]!.position) >= 0) ordered = false;
      t.ok(ordered, 'in strictly increasing position order');
      const logged = await store.readAll({ fromPosition: start, filter: { streamPrefixes: [prefix] } });
      t.same(
        seen.map((e) => e.id),
        logged.map((e) => e.id),
        'the order the subscriber saw is the order of the log',
      );
    });
  });
}
