// The EventStoreDB adapter: the shared contract over the real gRPC protocol against the
// in-process double (and against a real server when EVENTSTORE_URL is set), then what
// only this adapter has to get right: error mapping, retries, deletes, system events.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { EventStoreDbEventStore } from '../../src/eventstore/eventstoredb.js';
import {
  StoreUnavailable,
  StreamDeleted,
  WrongExpectedRevision,
  comparePositions,
  type EventToAppend,
  type SubscriptionItem,
} from '../../src/eventstore/port.js';
import { startEsdbDouble } from '../support/esdb-double/server.js';
import { eventStoreContract } from './contract.js';

const double = await startEsdbDouble();
t.teardown(() => double.stop());

interface Teardown {
  teardown(fn: () => unknown): void;
}

const open = (t: Teardown, url = double.url, options = {}) => {
  const store = new EventStoreDbEventStore(url, options);
  t.teardown(() => store.close());
  return store;
};

eventStoreContract('eventstoredb adapter (double)', async (t) => open(t));

t.test('the adapter appended over BatchAppend, the path a real server makes the client take', async (t) => {
  t.ok((double.calls['Streams.BatchAppend'] ?? 0) > 0, 'BatchAppend was called');
  t.equal(double.calls['Streams.Append'] ?? 0, 0, 'Append was not');
});

const realServer = process.env.EVENTSTORE_URL;
if (realServer) eventStoreContract('eventstoredb adapter (real server)', async (t) => open(t, realServer));
else t.comment('EVENTSTORE_URL not set: the real-server pass was not run');

const ev = (type = 'Happened', data: unknown = {}): EventToAppend => ({ id: randomUUID(), type, data, metadata: { tenantId: 'adapter' } });
const stream = (name: string) => `a${randomUUID().slice(0, 8)}-${name}`;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => null,
    (e: unknown) => e,
  );
}

t.test('a wrong expected revision names the stream, the expectation and the actual revision', async (t) => {
  const store = open(t);
  const s = stream('wev');
  await store.append(s, [ev(), ev(), ev()], { expectedRevision: 'no_stream' });
  const error = await rejection(store.append(s, [ev()], { expectedRevision: 0n }));
  t.type(error, WrongExpectedRevision);
  if (error instanceof WrongExpectedRevision) {
    t.equal(error.stream, s);
    t.equal(error.expected, 0n);
    t.equal(error.actual, 2n);
  }
  const missing = await rejection(store.append(stream('none'), [ev()], { expectedRevision: 'stream_exists' }));
  t.equal(missing instanceof WrongExpectedRevision && missing.actual, 'no_stream', 'a missing stream is no_stream');
});

t.test('a retried append is answered with the original result', async (t) => {
  const store = open(t);
  const s = stream('retry');
  await store.append(s, [ev('A')], { expectedRevision: 'no_stream' });
  const batch = [ev('B'), ev('C')];
  const first = await store.append(s, batch, { expectedRevision: 0n });
  const retry = await store.append(s, batch, { expectedRevision: 0n });
  t.equal(retry.revision, 2n);
  t.same(retry.position, first.position, 'the same position');
  t.same((await store.readStream(s)).map((e) => e.type), ['A', 'B', 'C'], 'nothing written twice');
});

t.test('an append waits out a server restart', async (t) => {
  const gone = await startEsdbDouble();
  await gone.stop();
  const store = open(t, gone.url, { appendRetries: 5, retryDelayMs: 50 });
  const appending = store.append(stream('restart'), [ev()], { expectedRevision: 'no_stream' });
  await new Promise((resolve) => setTimeout(resolve, 60));
  const back = await startEsdbDouble({ port: gone.port });
  t.teardown(() => back.stop());
  const result = await appending;
  t.equal(result.revision, 0n, 'appended once the server was back');
  t.ok((back.calls['Streams.BatchAppend'] ?? 0) > 0, 'on the restarted server');
});

t.test('an unreachable server is StoreUnavailable, after the retries', async (t) => {
  const gone = await startEsdbDouble();
  await gone.stop();
  const store = open(t, gone.url, { appendRetries: 2, retryDelayMs: 10 });
  t.type(await rejection(store.append(stream('down'), [ev()], { expectedRevision: 'any' })), StoreUnavailable);
  t.type(await rejection(store.ping()), StoreUnavailable, 'ping');
  t.type(await rejection(store.readStream(stream('down'))), StoreUnavailable, 'reads');
});

t.test('ping answers when the server does', async (t) => {
  await open(t).ping();
  t.pass('ping resolved');
});

t.test('a stream that does not exist reads as empty, both ways', async (t) => {
  const store = open(t);
  t.same(await store.readStream(stream('missing')), []);
  t.same(await store.readStream(stream('missing'), { direction: 'backwards' }), []);
});

t.test('a tombstoned stream is StreamDeleted on append and on read', async (t) => {
  const store = open(t);
  const s = stream('tombstoned');
  await store.append(s, [ev()], { expectedRevision: 'no_stream' });
  await store.tombstoneStream(s);
  const attempts = {
    append: () => store.append(s, [ev()], { expectedRevision: 'any' }),
    read: () => store.readStream(s),
  };
  for (const [what, attempt] of Object.entries(attempts)) {
    const error = await rejection(attempt());
    t.type(error, StreamDeleted, what);
    t.equal(error instanceof StreamDeleted && error.stream, s, `${what} names the stream`);
  }
});

t.test('a soft-deleted stream reads empty and continues its numbering', async (t) => {
  const store = open(t);
  const s = stream('soft');
  await store.append(s, [ev('0'), ev('1'), ev('2')], { expectedRevision: 'no_stream' });
  await store.deleteStream(s);
  t.same(await store.readStream(s), [], 'hidden from reads');
  const result = await store.append(s, [ev('3')], { expectedRevision: 'no_stream' });
  t.equal(result.revision, 3n, 'numbering continues');
  t.same((await store.readStream(s)).map((e) => [e.type, e.revision]), [['3', 3n]], 'only what came after the delete');
});

t.test('system events never reach readAll, subscribe or headPosition', async (t) => {
  const store = open(t);
  const start = await store.headPosition();
  const s = stream('system');
  const appended = await store.append(s, [ev('Mine')], { expectedRevision: 'no_stream' });
  await store.deleteStream(s); // writes a `$metadata` event to `$$<stream>`
  await store.append(s, [ev('Again')], { expectedRevision: 'any' }); // and another one, before this
  await store.tombstoneStream(s); // and a `$streamDeleted` in the stream itself
  // fromPosition is inclusive: `start` itself is an earlier test's event.
  const all = (await store.readAll({ fromPosition: start })).filter((e) => comparePositions(e.position, start) > 0);
  t.same(all.map((e) => e.type), ['Mine', 'Again'], 'readAll');
  const head = await store.headPosition();
  t.same(head, all[1]!.position, 'headPosition is the last non-system event');
  t.ok(comparePositions(head, appended.position) > 0);
  const seen: string[] = [];
  const controller = new AbortController();
  for await (const item of store.subscribe({ fromPosition: start, signal: controller.signal })) {
    if (item.kind === 'event') seen.push(`${item.event.stream === s ? 'mine' : 'other'}:${item.event.type}`);
    if (item.kind === 'caught-up') controller.abort();
  }
  t.same(seen, ['mine:Mine', 'mine:Again'], 'subscribe');
  const typed: string[] = [];
  const typedController = new AbortController();
  for await (const item of store.subscribe({ fromPosition: start, filter: { eventTypes: ['Again'] }, signal: typedController.signal })) {
    if (item.kind === 'event') typed.push(item.event.type);
    if (item.kind === 'caught-up') typedController.abort();
  }
  t.same(typed, ['Again'], 'an event-type filter alone');
});

t.test('subscribe: prefix and type filters together, checkpoints over filtered-out stretches', async (t) => {
  const store = open(t);
  const start = await store.headPosition();
  const prefix = `p${randomUUID().slice(0, 8)}-`;
  await store.append(`${prefix}x`, [ev('Keep'), ev('Drop')], { expectedRevision: 'no_stream' });
  for (let i = 0; i < 40; i++) await store.append(stream('noise'), [ev('Keep')], { expectedRevision: 'no_stream' });
  const items: SubscriptionItem[] = [];
  const controller = new AbortController();
  for await (const item of store.subscribe({
    fromPosition: start,
    filter: { streamPrefixes: [prefix], eventTypes: ['Keep'] },
    signal: controller.signal,
  })) {
    items.push(item);
    if (item.kind === 'caught-up') controller.abort();
  }
  const kinds = items.map((i) => i.kind);
  t.same(kinds, ['event', 'checkpoint', 'checkpoint', 'caught-up'], 'one event, a checkpoint per 32 considered, one at the end');
  const [event, mid, end, caughtUp] = items;
  t.equal(event?.kind === 'event' && event.event.type, 'Keep');
  if (mid?.kind === 'checkpoint' && end?.kind === 'checkpoint' && caughtUp?.kind === 'caught-up') {
    t.ok(comparePositions(mid.position, end.position) < 0, 'checkpoints move on');
    t.same(end.position, await store.headPosition(), 'the last one is the end of the log');
    t.same(caughtUp.position, end.position, 'caught up where the last checkpoint was');
  } else t.fail(`unexpected items: ${kinds.join(', ')}`);
});

t.test('subscribe stops when its signal aborts, while waiting for live events', async (t) => {
  const store = open(t);
  const controller = new AbortController();
  const items: string[] = [];
  const done = (async () => {
    for await (const item of store.subscribe({ fromPosition: await store.headPosition(), signal: controller.signal })) {
      items.push(item.kind);
      if (item.kind === 'caught-up') setTimeout(() => controller.abort(), 20);
    }
  })();
  await done;
  t.same(items, ['checkpoint', 'caught-up'], 'ended after caught-up, without an error');
});

t.test('readAll filters on the client across page boundaries', async (t) => {
  const store = open(t, double.url, { readPageSize: 3 });
  const start = await store.headPosition();
  const prefix = `r${randomUUID().slice(0, 8)}-`;
  for (let i = 0; i < 7; i++) {
    await store.append(`${prefix}${i}`, [ev(`E${i}`)], { expectedRevision: 'no_stream' });
    await store.append(stream('between'), [ev('Other')], { expectedRevision: 'no_stream' });
  }
  const mine = await store.readAll({ fromPosition: start, filter: { streamPrefixes: [prefix] } });
  t.same(mine.map((e) => e.type), ['E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6'], 'each once, in order');
  const five = await store.readAll({ fromPosition: start, filter: { streamPrefixes: [prefix] }, maxCount: 5 });
  t.equal(five.length, 5, 'maxCount counts matching events');
});
