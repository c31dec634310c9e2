// An in-process EventStoreDB test double: a gRPC server speaking the client protocol of
// EventStoreDB/KurrentDB (the service definitions shipped in @eventstore/db-client), so
// the adapter is tested over the real wire, on the path a real server makes it take.
//
// Reproduced:
// - ServerFeatures.GetSupportedMethods, advertising Streams.BatchAppend (as every server
//   since 21.10 does) unless `batchAppend: false`, which sends the client to Streams.Append.
// - Streams.BatchAppend (bidi, correlation ids, errors as google.rpc.Status with packed
//   details) and Streams.Append (client-streaming, wrong expected version as a response).
// - Expected revisions any / no_stream / stream_exists / exact, and idempotent appends by
//   event id, as the server's commit check decides them (log.ts).
// - Streams.Read of a stream or $all, both directions, counts, inclusive starts (backwards
//   from a $all position: only what is before it), stream_not_found, event-type/stream-name
//   filters on prefixes or regex.
// - Catch-up subscriptions to a stream or $all: confirmation, catch-up, checkpoints every
//   multiplier × window (32) events considered and at the end of catch-up, caught_up,
//   then live events until the client cancels.
// - Streams.Delete (soft: `$metadata` with `$tb`, numbering continues on the next append)
//   and Streams.Tombstone (`$streamDeleted`; every later append and read fails).
// - Error trailers the client reads: stream-deleted (+ stream-name), wrong-expected-version
//   (+ stream-name, expected-version, actual-version), missing-required-metadata-property,
//   maximum-append-size-exceeded (+ maximum-append-size).
// - Recorded events: type, content-type, created (.NET ticks), custom metadata and data
//   verbatim; positions are gapped, increasing byte offsets with commit == prepare; $all
//   holds system events (startup `$metadata`, deletes, tombstones).
//
// Not reproduced: clustering, gossip and not-leader, TLS, users/ACLs and access-denied,
// persistent subscriptions, server-side projections and link events (`$>`, resolveLinks
// is ignored), scavenging, stream metadata other than `$tb` ($maxAge, $maxCount, ACLs),
// fell_behind, the bounded size of the server's idempotency cache (every id is "recent"
// here), the deprecated 20.6 fields of Append's wrong-expected-version message.
import grpc from '@grpc/grpc-js';
import type { DeleteReq, DeleteResp, TombstoneReq, TombstoneResp } from '@eventstore/db-client/generated/streams_pb.js';
import { DEFAULT_MAX_APPEND_SIZE, appendHandler, batchAppendHandler } from './append-service.js';
import { EventLog, type Expected, type WriteOutcome } from './log.js';
import { readHandler } from './read-service.js';
import { RpcError, serverFeaturesGrpc, serverFeaturesPb, streamDeletedError, streamNameOf, streamsGrpc, streamsPb } from './wire.js';

export interface EsdbDoubleOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Advertise Streams.BatchAppend (default true); false makes the client use Streams.Append. */
  readonly batchAppend?: boolean;
  readonly maxAppendSize?: number;
}

export interface EsdbDouble {
  /** A connection string for `EventStoreDBClient.connectionString`. */
  readonly url: string;
  readonly port: number;
  /** RPCs received, by `Service.Method` (e.g. `Streams.BatchAppend`). */
  readonly calls: Record<string, number>;
  stop(): Promise<void>;
}

export async function startEsdbDouble(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
  const host = options.host ?? '127.0.0.1';
  const log = new EventLog();
  const calls: Record<string, number> = {};
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const counted =
    <A extends unknown[]>(name: string, handler: (...args: A) => void) =>
    (...args: A) => {
      calls[name] = (calls[name] ?? 0) + 1;
      handler(...args);
    };
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const batchAppend = options.batchAppend ?? true;

  const server = new grpc.Server();
  server.addService(serverFeaturesGrpc.ServerFeaturesService, {
    getSupportedMethods: counted('ServerFeatures.GetSupportedMethods', supportedMethods(batchAppend)),
  });
  server.addService(streamsGrpc.StreamsService, {
    read: counted('Streams.Read', readHandler(log, stopped)),
    append: counted('Streams.Append', appendHandler(log, maxAppendSize)),
    batchAppend: counted('Streams.BatchAppend', batchAppendHandler(log, maxAppendSize)),
    delete: counted(
      'Streams.Delete',
      deletion<DeleteReq, DeleteResp>(
        (stream, expected) => log.softDelete(stream, expected),
        (p) => new streamsPb.DeleteResp().setPosition(new streamsPb.DeleteResp.Position().setCommitPosition(p).setPreparePosition(p)),
      ),
    ),
    tombstone: counted(
      'Streams.Tombstone',
      deletion<TombstoneReq, TombstoneResp>(
        (stream, expected) => log.tombstone(stream, expected),
        (p) => new streamsPb.TombstoneResp().setPosition(new streamsPb.TombstoneResp.Position().setCommitPosition(p).setPreparePosition(p)),
      ),
    ),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    url: `esdb://${host}:${port}?tls=false`,
    port,
    calls,
    async stop() {
      stop();
      server.forceShutdown();
    },
  };
}

function supportedMethods(batchAppend: boolean) {
  return (_call: unknown, callback: grpc.sendUnaryData<InstanceType<typeof serverFeaturesPb.SupportedMethods>>) => {
    const result = new serverFeaturesPb.SupportedMethods().setEventStoreServerVersion('24.10.0');
    const method = (service: string, name: string) =>
      result.addMethods(new serverFeaturesPb.SupportedMethod().setServiceName(service).setMethodName(name));
    // The server lists services and methods in lower case; the client compares them so.
    for (const name of ['read', 'append', 'delete', 'tombstone', ...(batchAppend ? ['batchappend'] : [])])
      method('event_store.client.streams.streams', name);
    method('event_store.client.server_features.serverfeatures', 'getsupportedmethods');
    callback(null, result);
  };
}

interface DeletionOptions {
  getStreamIdentifier(): Parameters<typeof streamNameOf>[0];
  hasRevision(): boolean;
  getRevision(): string;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

/** Delete and Tombstone share their options and answers; only what they write differs. */
function deletion<Req extends { getOptions(): DeletionOptions | undefined }, Resp>(
  write: (stream: string, expected: Expected) => WriteOutcome,
  answer: (position: string) => Resp,
) {
  return (call: grpc.ServerUnaryCall<Req, Resp>, callback: grpc.sendUnaryData<Resp>) => {
    const options = call.request.getOptions();
    const stream = streamNameOf(options?.getStreamIdentifier());
    const expected: Expected = options?.hasRevision()
      ? BigInt(options.getRevision())
      : options?.hasNoStream()
        ? 'no_stream'
        : options?.hasStreamExists()
          ? 'stream_exists'
          : 'any';
    const outcome = write(stream, expected);
    if (outcome.kind === 'stream-deleted') return callback(streamDeletedError(stream));
    if (outcome.kind === 'wrong-expected-version') return callback(wrongExpectedVersion(stream, expected, outcome.current));
    callback(null, answer(String(outcome.position ?? 0n)));
  };
}

/** The server's WrongExpectedVersion exception: versions as its signed numbers (-1 no stream, -2 any, -4 exists). */
function wrongExpectedVersion(stream: string, expected: Expected, current: bigint | null): RpcError {
  const expectedVersion = expected === 'any' ? -2n : expected === 'no_stream' ? -1n : expected === 'stream_exists' ? -4n : expected;
  const actualVersion = current ?? -1n;
  return new RpcError(
    grpc.status.FAILED_PRECONDITION,
    `Append failed due to WrongExpectedVersion. Stream: ${stream}, Expected version: ${expectedVersion}, Actual version: ${actualVersion}`,
    {
      exception: 'wrong-expected-version',
      'stream-name': stream,
      'expected-version': String(expectedVersion),
      'actual-version': String(actualVersion),
    },
  );
}
