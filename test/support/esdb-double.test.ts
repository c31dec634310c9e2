// The EventStoreDB double, tested with the real `@eventstore/db-client` (and, where the
// order of messages on the wire is the point, with the raw generated gRPC client).
import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import t from 'tap';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  START,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  binaryEvent,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type Position,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import { startEsdbDouble } from './esdb-double/server.js';
import { sharedPb, streamNameOf, streamsGrpc, streamsPb } from './esdb-double/wire.js';

const double = await startEsdbDouble();
const client = EventStoreDBClient.connectionString(double.url);
t.teardown(async () => {
  await client.dispose();
  await double.stop();
});

const named = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;
const event = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ type, data });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => null,
    (e: unknown) => e,
  );
}

async function recorded<E extends ResolvedEvent>(read: StreamingRead<E>) {
  const out = [];
  for await (const resolved of read) if (resolved.event) out.push(resolved.event);
  return out;
}

const lastPosition = async (): Promise<Position> => (await recorded(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })))[0]!.position!;

t.test('appendToStream: every expected-revision mode, over BatchAppend', async (t) => {
  const s = named('modes');
  const first = await client.appendToStream(s, event('A'), { expectedRevision: 'no_stream' });
  t.equal(first.nextExpectedRevision, 0n, 'no_stream creates');
  const again = await rejection(client.appendToStream(s, event('A'), { expectedRevision: 'no_stream' }));
  t.type(again, WrongExpectedVersionError, 'no_stream on an existing stream');
  if (again instanceof WrongExpectedVersionError) {
    t.equal(again.expectedVersion, 'no_stream');
    t.equal(again.actualVersion, 0n);
  }
  const missing = await rejection(client.appendToStream(named('missing'), event('A'), { expectedRevision: 'stream_exists' }));
  t.equal(missing instanceof WrongExpectedVersionError && missing.actualVersion, 'no_stream', 'stream_exists on a missing stream');
  t.equal((await client.appendToStream(s, event('B'), { expectedRevision: 'stream_exists' })).nextExpectedRevision, 1n);
  t.equal((await client.appendToStream(s, event('C'), { expectedRevision: 1n })).nextExpectedRevision, 2n, 'exact');
  const stale = await rejection(client.appendToStream(s, event('D'), { expectedRevision: 0n }));
  t.equal(stale instanceof WrongExpectedVersionError && stale.actualVersion, 2n, 'a stale exact revision');
  t.equal(stale instanceof WrongExpectedVersionError && stale.expectedVersion, 0n);
  const ahead = await rejection(client.appendToStream(s, event('D'), { expectedRevision: 9n }));
  t.type(ahead, WrongExpectedVersionError, 'an exact revision ahead of the stream');
  const last = await client.appendToStream(s, [event('D'), event('E')], { expectedRevision: 'any' });
  t.equal(last.nextExpectedRevision, 4n, 'any; a multi-event append reports its last revision');
  const events = await recorded(client.readStream(s));
  t.same(events.map((e) => e.type), ['A', 'B', 'C', 'D', 'E']);
  t.same(last.position, events[4]!.position, 'and the position of its last event');
  for (const [i, e] of events.entries()) {
    t.equal(e.position!.commit, e.position!.prepare, `commit == prepare (${i})`);
    if (i > 0) t.ok(e.position!.commit - events[i - 1]!.position!.commit > 1n, `positions increase with gaps (${i})`);
  }
  t.ok((double.calls['Streams.BatchAppend'] ?? 0) > 0, 'BatchAppend was used');
  t.equal(double.calls['Streams.Append'] ?? 0, 0, 'Append was not');
});

t.test('appends are idempotent by event id, as the server decides it', async (t) => {
  const s = named('idempotent');
  const [a, b, c] = [event('A'), event('B'), event('C')];
  const first = await client.appendToStream(s, [a, b], { expectedRevision: 'no_stream' });
  const repeat = await client.appendToStream(s, [a, b], { expectedRevision: 'no_stream' });
  t.same(repeat, first, 'no_stream: the same ids at revisions 0.. answer the original result');
  const third = await client.appendToStream(s, [c], { expectedRevision: 1n });
  t.same(await client.appendToStream(s, [c], { expectedRevision: 1n }), third, 'exact: the same ids after N');
  t.same(await client.appendToStream(s, [c], { expectedRevision: 'any' }), third, 'any: ids already in the stream');
  t.same(await client.appendToStream(s, [a, b], { expectedRevision: 'stream_exists' }), first, 'stream_exists: as any');
  const partly = await rejection(client.appendToStream(s, [c, event('D')], { expectedRevision: 1n }));
  t.equal(partly instanceof WrongExpectedVersionError && partly.actualVersion, 2n, 'some ids written, some not: a conflict');
  const mixed = await rejection(client.appendToStream(s, [c, event('D')], { expectedRevision: 'any' }));
  t.type(mixed, WrongExpectedVersionError, 'the same with any');
  t.same((await recorded(client.readStream(s))).map((e) => e.type), ['A', 'B', 'C'], 'nothing was written twice');
  // Idempotency holds only at the same place: with expected == current the server
  // checks no ids and writes them again.
  const elsewhere = await client.appendToStream(s, [c], { expectedRevision: 2n });
  t.equal(elsewhere.nextExpectedRevision, 3n, 'a known id after the current revision is written again');
  t.same((await recorded(client.readStream(s))).map((e) => e.id), [a.id, b.id, c.id, c.id]);
});

t.test('recorded events keep their type, content type, creation time, data and metadata', async (t) => {
  const s = named('recorded');
  const before = Date.now();
  await client.appendToStream(s, [
    jsonEvent({ type: 'Json', data: { n: 1, text: 'é' }, metadata: { tenantId: 't1' } }),
    binaryEvent({ type: 'Bytes', data: new Uint8Array([0, 1, 255]) }),
  ]);
  const [json, bytes] = await recorded(client.readStream(s));
  t.equal(json?.type, 'Json');
  t.equal(json?.isJson, true);
  t.same(json?.data, { n: 1, text: 'é' });
  t.same(json?.metadata, { tenantId: 't1' });
  t.ok(json && json.created.getTime() >= before && json.created.getTime() <= Date.now(), 'created, from .NET ticks');
  t.equal(bytes?.isJson, false, 'bytes come back as application/octet-stream');
  t.same(bytes?.data, new Uint8Array([0, 1, 255]));
  t.equal(bytes?.metadata, undefined, 'no custom metadata');
});

t.test('readStream: both directions, inclusive revisions, counts, missing streams', async (t) => {
  const s = named('read');
  await client.appendToStream(s, ['0', '1', '2', '3', '4'].map((n) => event(n)));
  const types = async (options: Parameters<typeof client.readStream>[1]) => (await recorded(client.readStream(s, options))).map((e) => e.type);
  t.same(await types({ fromRevision: 2n, maxCount: 2 }), ['2', '3'], 'forwards from N includes N');
  t.same(await types({ fromRevision: 2n, direction: BACKWARDS }), ['2', '1', '0'], 'backwards from N includes N');
  t.same(await types({ fromRevision: END, direction: BACKWARDS, maxCount: 2 }), ['4', '3'], 'backwards from the end');
  t.same(await types({ fromRevision: END }), [], 'forwards from the end');
  t.same(await types({ fromRevision: 9n }), [], 'past the end of an existing stream');
  t.type(await rejection(recorded(client.readStream(named('missing')))), StreamNotFoundError, 'a missing stream');
});

t.test('readAll: forwards from P includes P, backwards excludes it, system events included', async (t) => {
  const s = named('all');
  await client.appendToStream(s, [event('X'), event('Y'), event('Z')]);
  const mine = (await recorded(client.readAll())).filter((e) => e.streamId === s);
  t.same(mine.map((e) => e.type), ['X', 'Y', 'Z']);
  const y = mine[1]!.position!;
  const forwards = await recorded(client.readAll({ fromPosition: y, maxCount: 2 }));
  t.same(forwards.map((e) => e.type), ['Y', 'Z'], 'forwards');
  const backwards = await recorded(client.readAll({ fromPosition: y, direction: BACKWARDS, maxCount: 1 }));
  t.same(backwards.map((e) => e.type), ['X'], 'backwards');
  const [first] = await recorded(client.readAll({ fromPosition: START, maxCount: 1 }));
  t.equal(first?.type, '$metadata', 'a fresh node has written system events first');
  t.ok(first!.position!.commit > 0n, 'after the epoch record');
});

interface RawFilter {
  prefixes: string[];
  window?: number;
  multiplier?: number;
}

/** A filtered $all subscription on the raw gRPC client: what arrives, in the order it does. */
async function rawSubscription(from: Position, filter: RawFilter, onCaughtUp: () => Promise<unknown>, until: (seen: string[]) => boolean) {
  const raw = new streamsGrpc.StreamsClient(`127.0.0.1:${double.port}`, grpc.credentials.createInsecure());
  const options = new streamsPb.ReadReq.Options.FilterOptions()
    .setStreamIdentifier(new streamsPb.ReadReq.Options.FilterOptions.Expression().setPrefixList(filter.prefixes))
    .setCheckpointintervalmultiplier(filter.multiplier ?? 1);
  if (filter.window) options.setMax(filter.window);
  else options.setCount(new sharedPb.Empty());
  const position = new streamsPb.ReadReq.Options.Position().setCommitPosition(String(from.commit)).setPreparePosition(String(from.prepare));
  const req = new streamsPb.ReadReq().setOptions(
    new streamsPb.ReadReq.Options()
      .setAll(new streamsPb.ReadReq.Options.AllOptions().setPosition(position))
      .setSubscription(new streamsPb.ReadReq.Options.SubscriptionOptions())
      .setUuidOption(new streamsPb.ReadReq.Options.UUIDOption().setString(new sharedPb.Empty()))
      .setFilter(options),
  );
  const seen: string[] = [];
  const call = raw.read(req);
  try {
    await new Promise<void>((resolve, reject) => {
      call.on('data', (resp: ReadResp) => {
        if (resp.hasConfirmation()) seen.push('confirmation');
        if (resp.hasCheckpoint()) seen.push(`checkpoint@${resp.getCheckpoint()!.getCommitPosition()}`);
        if (resp.hasCaughtUp()) seen.push('caught-up');
        const recordedEvent = resp.getEvent()?.getEvent();
        if (recordedEvent) seen.push(`${streamNameOf(recordedEvent.getStreamIdentifier())}:${recordedEvent.getMetadataMap().get('type')}`);
        if (resp.hasCaughtUp()) onCaughtUp().catch(reject);
        if (until(seen)) resolve();
      });
      call.on('error', reject);
    });
  } finally {
    call.cancel();
    raw.close();
  }
  return seen;
}

t.test('a filtered $all subscription: confirmation, checkpoints, caught_up, then live', async (t) => {
  const start = await lastPosition();
  const prefix = named('sub');
  const noise: bigint[] = [];
  for (let i = 0; i < 40; i++) noise.push((await client.appendToStream(named('noise'), event('N'))).position!.commit);
  const old = await client.appendToStream(`${prefix}-s`, event('Old'));
  const live = () => client.appendToStream(`${prefix}-s`, event('Live'));
  const seen = await rawSubscription(start, { prefixes: [prefix] }, live, (s) => s.at(-1)?.endsWith(':Live') ?? false);
  t.same(
    seen,
    ['confirmation', `checkpoint@${noise[31]}`, `${prefix}-s:Old`, `checkpoint@${old.position!.commit}`, 'caught-up', `${prefix}-s:Live`],
    'a checkpoint after 32 events considered (matched or not), one at the end of catch-up',
  );
  const end = await lastPosition(); // now the live event
  const windowed = await rawSubscription(start, { prefixes: [prefix], window: 10, multiplier: 2 }, async () => undefined, (s) => s.includes('caught-up'));
  t.same(
    windowed.filter((s) => s.startsWith('checkpoint')),
    [`checkpoint@${noise[19]}`, `checkpoint@${noise[39]}`, `checkpoint@${end.commit}`],
    'the interval is multiplier × window',
  );
});

t.test('subscribeToAll through the client: checkpointReached, caughtUp and live events', async (t) => {
  const start = await lastPosition();
  const prefix = named('client');
  await client.appendToStream(`${prefix}-a`, event('Old'));
  await client.appendToStream(named('other'), event('Other'));
  const checkpoints: Position[] = [];
  const subscription = client.subscribeToAll({
    fromPosition: start,
    filter: streamNameFilter({ prefixes: [prefix], checkpointReached: (_s, position) => void checkpoints.push(position) }),
  });
  let confirmed = false;
  subscription.on('confirmation', () => (confirmed = true));
  subscription.on('caughtUp', () => void client.appendToStream(`${prefix}-b`, event('Live')));
  const types: string[] = [];
  for await (const resolved of subscription) {
    types.push(resolved.event!.type);
    if (types.length === 2) break;
  }
  t.ok(confirmed, 'confirmed');
  t.same(types, ['Old', 'Live'], 'history, then live');
  t.equal(checkpoints.length, 1, 'a checkpoint at the end of catch-up');
  t.ok(checkpoints[0] && checkpoints[0].commit > start.commit, 'after the start');
});

t.test('excludeSystemEvents and event-type filters; unfiltered $all has system events', async (t) => {
  const s = named('system');
  await client.appendToStream(s, [event('Mine')]);
  await client.deleteStream(s); // a `$metadata` event on `$$<stream>`
  const typesUntilCaughtUp = async (filter?: Parameters<typeof client.subscribeToAll>[0]) => {
    const subscription = client.subscribeToAll({ fromPosition: START, ...filter });
    const types: string[] = [];
    let caughtUp = false;
    subscription.on('caughtUp', () => {
      caughtUp = true;
      void subscription.unsubscribe().then(() => subscription.destroy());
    });
    for await (const resolved of subscription) if (!caughtUp) types.push(resolved.event!.type);
    return types;
  };
  const everything = await typesUntilCaughtUp();
  t.ok(everything.includes('$metadata') && everything.includes('Mine'), 'unfiltered: both');
  const excluded = await typesUntilCaughtUp({ filter: excludeSystemEvents() });
  t.ok(excluded.includes('Mine'), 'excludeSystemEvents keeps user events');
  t.notOk(excluded.some((type) => type.startsWith('$')), 'and drops every system event');
  const typed = await typesUntilCaughtUp({ filter: eventTypeFilter({ regex: '^\\$meta' }) });
  t.ok(typed.length > 0 && typed.every((type) => type === '$metadata'), 'an event-type regex');
});

t.test('subscribeToStream: a missing stream is waited on; the start is exclusive', async (t) => {
  const s = named('stream-sub');
  const subscription = client.subscribeToStream(s, { fromRevision: START });
  subscription.on('caughtUp', () => void client.appendToStream(s, [event('0'), event('1')], { expectedRevision: 'no_stream' }));
  const revisions: bigint[] = [];
  for await (const resolved of subscription) {
    revisions.push(resolved.event!.revision);
    if (revisions.length === 2) break;
  }
  t.same(revisions, [0n, 1n], 'written after the subscription began');
  const after = client.subscribeToStream(s, { fromRevision: 0n });
  for await (const resolved of after) {
    t.equal(resolved.event?.revision, 1n, 'from revision 0: the events after it');
    break;
  }
});

t.test('deleteStream: a soft delete hides the stream, the next append continues numbering', async (t) => {
  const s = named('soft');
  await client.appendToStream(s, [event('0'), event('1'), event('2')]);
  const deleted = await client.deleteStream(s);
  t.ok(deleted.position && deleted.position.commit > 0n, 'the delete has a position');
  t.type(await rejection(recorded(client.readStream(s))), StreamNotFoundError, 'reads see no stream');
  const [metadata] = await recorded(client.readStream(`$$${s}`));
  t.equal(metadata?.type, '$metadata', 'the delete is stream metadata');
  t.match(JSON.stringify(metadata?.data), /"\$tb":9223372036854776000/, 'truncating before everything');
  t.type(await rejection(client.appendToStream(s, event('x'), { expectedRevision: 'stream_exists' })), StreamDeletedError, 'stream_exists: deleted');
  const recreated = await client.appendToStream(s, event('3'), { expectedRevision: 'no_stream' });
  t.equal(recreated.nextExpectedRevision, 3n, 'no_stream recreates it, numbering continues');
  t.same((await recorded(client.readStream(s))).map((e) => e.revision), [3n], 'only what follows the delete');
  const wrong = await rejection(client.deleteStream(s, { expectedRevision: 7n }));
  t.equal(wrong instanceof WrongExpectedVersionError && wrong.actualVersion, 3n, 'a delete checks the expected revision');
});

t.test('tombstoneStream: every later append, read, subscription and delete fails', async (t) => {
  const s = named('tombstone');
  await client.appendToStream(s, event('A'));
  const { position } = await client.tombstoneStream(s);
  const read = await rejection(recorded(client.readStream(s)));
  t.type(read, StreamDeletedError, 'read');
  t.equal(read instanceof StreamDeletedError && read.streamName, s, 'the error names the stream');
  t.type(await rejection(client.appendToStream(s, event('B'))), StreamDeletedError, 'append');
  t.type(await rejection(client.deleteStream(s)), StreamDeletedError, 'delete');
  t.type(await rejection(client.tombstoneStream(s)), StreamDeletedError, 'tombstone');
  const subscribed = await rejection(
    (async () => {
      for await (const resolved of client.subscribeToStream(s)) void resolved;
    })(),
  );
  t.type(subscribed, StreamDeletedError, 'subscription');
  const [tombstone] = await recorded(client.readAll({ fromPosition: position!, maxCount: 1 }));
  t.equal(tombstone?.type, '$streamDeleted', 'the tombstone is in $all');
  t.equal(tombstone?.streamId, s, 'in the stream itself');
  t.equal(tombstone?.revision, 9223372036854775807n, 'at revision long.MaxValue');
});

t.test('appends over 1 MiB are refused', async (t) => {
  const big = event('Big', { text: 'x'.repeat(1024 * 1024) });
  const error = await rejection(client.appendToStream(named('big'), big));
  t.type(error, MaxAppendSizeExceededError, 'over BatchAppend');
  t.equal(error instanceof MaxAppendSizeExceededError && error.maxAppendSize, 1024 * 1024);
});

t.test('a server without BatchAppend: the client falls back to Append', async (t) => {
  const plain = await startEsdbDouble({ batchAppend: false });
  const appender = EventStoreDBClient.connectionString(plain.url);
  t.teardown(async () => {
    await appender.dispose();
    await plain.stop();
  });
  const s = named('plain');
  t.equal((await appender.appendToStream(s, [event('A'), event('B')], { expectedRevision: 'no_stream' })).nextExpectedRevision, 1n);
  const wrong = await rejection(appender.appendToStream(s, event('C'), { expectedRevision: 'no_stream' }));
  t.equal(wrong instanceof WrongExpectedVersionError && wrong.actualVersion, 1n, 'a wrong expected version, from a response message');
  const big = await rejection(appender.appendToStream(s, event('Big', { text: 'x'.repeat(1024 * 1024) })));
  t.equal(big instanceof MaxAppendSizeExceededError && big.maxAppendSize, 1024 * 1024, 'the size limit, from trailers');
  await appender.tombstoneStream(s);
  t.type(await rejection(appender.appendToStream(s, event('D'))), StreamDeletedError, 'a tombstoned stream, from trailers');
  t.ok((plain.calls['Streams.Append'] ?? 0) >= 3, 'Append was used');
  t.equal(plain.calls['Streams.BatchAppend'] ?? 0, 0, 'BatchAppend was not');
});

t.test('an append without the required metadata is refused with its trailer', async (t) => {
  const raw = new streamsGrpc.StreamsClient(`127.0.0.1:${double.port}`, grpc.credentials.createInsecure());
  t.teardown(() => raw.close());
  const error = await new Promise<grpc.ServiceError | null>((resolve) => {
    const call = raw.append((e) => resolve(e));
    const options = new streamsPb.AppendReq.Options()
      .setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from(named('raw'))))
      .setAny(new sharedPb.Empty());
    const message = new streamsPb.AppendReq.ProposedMessage().setId(new sharedPb.UUID().setString(randomUUID())).setData(new Uint8Array());
    message.getMetadataMap().set('type', 'NoContentType');
    call.write(new streamsPb.AppendReq().setOptions(options));
    call.write(new streamsPb.AppendReq().setProposedMessage(message));
    call.end();
  });
  t.equal(error?.code, grpc.status.INVALID_ARGUMENT);
  t.same(error?.metadata.get('exception'), ['missing-required-metadata-property']);
});
