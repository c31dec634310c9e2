// The wire vocabulary of the double: the generated message classes, stream names, UUIDs
// and the error statuses the client turns into typed errors.
//
// The classes are required from the very package the client uses: its generated
// serializers check `instanceof`, so a message built from another copy would be refused.
// They are CommonJS whose exports the ESM loader cannot see, hence createRequire.
import { createRequire } from 'node:module';
import grpc from '@grpc/grpc-js';
import type { UUID as UUIDMessage, StreamIdentifier as StreamIdentifierMessage } from '@eventstore/db-client/generated/shared_pb.js';

const requireHere = createRequire(import.meta.url);
const clientEntry = requireHere.resolve('@eventstore/db-client');
// google-protobuf is resolved from the client's own location, for the same reason.
const requireFromClient = createRequire(clientEntry);

export const streamsPb = requireHere(
  '@eventstore/db-client/generated/streams_pb.js',
) as typeof import('@eventstore/db-client/generated/streams_pb.js');
export const sharedPb = requireHere(
  '@eventstore/db-client/generated/shared_pb.js',
) as typeof import('@eventstore/db-client/generated/shared_pb.js');
export const statusPb = requireHere(
  '@eventstore/db-client/generated/status_pb.js',
) as typeof import('@eventstore/db-client/generated/status_pb.js');
export const codePb = requireHere(
  '@eventstore/db-client/generated/code_pb.js',
) as typeof import('@eventstore/db-client/generated/code_pb.js');
export const serverFeaturesPb = requireHere(
  '@eventstore/db-client/generated/serverfeatures_pb.js',
) as typeof import('@eventstore/db-client/generated/serverfeatures_pb.js');
export const streamsGrpc = requireHere(
  '@eventstore/db-client/generated/streams_grpc_pb.js',
) as typeof import('@eventstore/db-client/generated/streams_grpc_pb.js');
export const serverFeaturesGrpc = requireHere(
  '@eventstore/db-client/generated/serverfeatures_grpc_pb.js',
) as typeof import('@eventstore/db-client/generated/serverfeatures_grpc_pb.js');
export const emptyPb = requireFromClient(
  'google-protobuf/google/protobuf/empty_pb.js',
) as typeof import('google-protobuf/google/protobuf/empty_pb.js');
export const anyPb = requireFromClient(
  'google-protobuf/google/protobuf/any_pb.js',
) as typeof import('google-protobuf/google/protobuf/any_pb.js');

export function streamNameOf(identifier: StreamIdentifierMessage | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

export function streamIdentifier(name: string): StreamIdentifierMessage {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The canonical (lower-case) text of a UUID message, or null when it is not a UUID. */
export function uuidText(uuid: UUIDMessage | undefined): string | null {
  if (!uuid) return null;
  if (uuid.hasStructured()) {
    const s = uuid.getStructured()!;
    const hex = (v: string) => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
    const h = hex(s.getMostSignificantBits()) + hex(s.getLeastSignificantBits());
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const text = uuid.getString().toLowerCase();
  return UUID_TEXT.test(text) ? text : null;
}

/** A UUID in the form the reader asked for (`uuid_option`): string, or two signed int64s. */
export function uuidMessage(id: string, structured: boolean): UUIDMessage {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replaceAll('-', '');
  const half = (h: string) => BigInt.asIntN(64, BigInt(`0x${h}`)).toString();
  return uuid.setStructured(
    new sharedPb.UUID.Structured().setMostSignificantBits(half(hex.slice(0, 16))).setLeastSignificantBits(half(hex.slice(16))),
  );
}

/** A call's final status: the server's `exception` trailers are what the client maps to typed errors. */
export class RpcError extends Error {
  readonly metadata = new grpc.Metadata();
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    trailers: Record<string, string> = {},
  ) {
    super(details);
    for (const [key, value] of Object.entries(trailers)) this.metadata.set(key, value);
  }
}

export const streamDeletedError = (stream: string) =>
  new RpcError(grpc.status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': stream,
  });

export const invalidArgument = (details: string) => new RpcError(grpc.status.INVALID_ARGUMENT, details);

export const missingMetadataError = () =>
  new RpcError(grpc.status.INVALID_ARGUMENT, 'Required metadata properties are missing: type, content-type', {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });

export const maxAppendSizeError = (maxAppendSize: number) =>
  new RpcError(grpc.status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });
