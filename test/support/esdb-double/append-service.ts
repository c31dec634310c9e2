// Streams.Append (client-streaming) and Streams.BatchAppend (one long-lived bidi call
// whose requests and responses pair by correlation id). The two differ in how they
// report a wrong expected version: Append answers with a normal response message,
// BatchAppend with a google.rpc.Status whose details pack the reason.
import grpc from '@grpc/grpc-js';
import type {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
} from '@eventstore/db-client/generated/streams_pb.js';
import type { Code } from '@eventstore/db-client/generated/code_pb.js';
import type { UUID } from '@eventstore/db-client/generated/shared_pb.js';
import type { Message } from 'google-protobuf';
import type { EventLog, Expected, ProposedEvent, WriteOutcome } from './log.js';
import {
  RpcError,
  anyPb,
  codePb,
  emptyPb,
  invalidArgument,
  maxAppendSizeError,
  missingMetadataError,
  sharedPb,
  statusPb,
  streamDeletedError,
  streamIdentifier,
  streamNameOf,
  streamsPb,
  uuidText,
} from './wire.js';

/** The server's default MaxAppendSize (1 MiB). */
export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

interface Proposed {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** Validates a proposed message the way the server does before anything is written. */
function proposedEvent(message: Proposed): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) throw missingMetadataError();
  const id = uuidText(message.getId());
  if (!id) throw invalidArgument('Event id is not a valid UUID');
  return {
    id,
    type,
    // Anything but JSON is stored as bytes and read back as application/octet-stream.
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

/** What counts against MaxAppendSize: the payloads and type names of the events. */
const eventSize = (e: ProposedEvent) => e.data.length + e.customMetadata.length + Buffer.byteLength(e.type);
const appendSize = (events: readonly ProposedEvent[]) => events.reduce((size, e) => size + eventSize(e), 0);

export function appendHandler(log: EventLog, maxAppendSize: number) {
  return (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let failure: RpcError | null = null;
    call.on('data', (req: AppendReq) => {
      if (failure) return;
      try {
        if (req.hasOptions()) options = req.getOptions();
        else if (req.hasProposedMessage()) {
          const event = proposedEvent(req.getProposedMessage()!);
          events.push(event);
          size += eventSize(event);
        }
        if (size > maxAppendSize) throw maxAppendSizeError(maxAppendSize);
      } catch (error) {
        failure = error instanceof RpcError ? error : invalidArgument(String(error));
        callback(failure);
      }
    });
    call.on('end', () => {
      if (failure) return;
      if (!options) return callback(invalidArgument('The first message of an append must carry its options'));
      const stream = streamNameOf(options.getStreamIdentifier());
      const expected = appendExpected(options);
      const outcome = log.append(stream, events, expected);
      if (outcome.kind === 'stream-deleted') return callback(streamDeletedError(stream));
      const resp = new streamsPb.AppendResp();
      if (outcome.kind === 'written') {
        const success = new streamsPb.AppendResp.Success();
        if (outcome.revision < 0n) success.setNoStream(new sharedPb.Empty());
        else success.setCurrentRevision(String(outcome.revision));
        if (outcome.position === null) success.setNoPosition(new sharedPb.Empty());
        else success.setPosition(new streamsPb.AppendResp.Position().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position)));
        return callback(null, resp.setSuccess(success));
      }
      const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
      if (outcome.current === null) wrong.setCurrentNoStream(new sharedPb.Empty());
      else wrong.setCurrentRevision(String(outcome.current));
      if (expected === 'any') wrong.setExpectedAny(new sharedPb.Empty());
      else if (expected === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
      else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
      else wrong.setExpectedRevision(String(expected));
      callback(null, resp.setWrongExpectedVersion(wrong));
    });
  };
}

function appendExpected(options: AppendReq.Options): Expected {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

function batchExpected(options: BatchAppendReq.Options): Expected {
  if (options.hasStreamPosition()) return BigInt(options.getStreamPosition());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

interface Batch {
  readonly options: BatchAppendReq.Options;
  readonly events: ProposedEvent[];
}

export function batchAppendHandler(log: EventLog, maxAppendSize: number) {
  return (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => {
    // A batch may span several requests; it is written when the final one arrives.
    const open = new Map<string, Batch>();
    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId();
      const key = uuidText(correlation) ?? '';
      let batch = open.get(key);
      if (!batch) {
        const options = req.getOptions();
        if (!options) return call.write(failed(req, null, 'BadRequest', badRequest('The first request of a batch must carry its options')));
        open.set(key, (batch = { options, events: [] }));
      }
      try {
        for (const message of req.getProposedMessagesList()) batch.events.push(proposedEvent(message));
      } catch (error) {
        // A malformed message fails the whole call, as an exception does on the server.
        open.clear();
        call.emit('error', error instanceof RpcError ? error : invalidArgument(String(error)));
        return;
      }
      if (!req.getIsFinal()) return;
      open.delete(key);
      call.write(respond(log, req, batch, maxAppendSize));
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  };
}

function respond(log: EventLog, req: BatchAppendReq, batch: Batch, maxAppendSize: number): BatchAppendResp {
  const { options, events } = batch;
  const stream = streamNameOf(options.getStreamIdentifier());
  const deadline = options.getDeadline()?.toDate();
  if (deadline && deadline.getTime() < Date.now())
    return failed(req, options, 'Timeout', new sharedPb.Timeout(), codePb.Code.DEADLINE_EXCEEDED);
  if (appendSize(events) > maxAppendSize)
    return failed(req, options, 'MaximumAppendSizeExceeded', new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize));
  const expected = batchExpected(options);
  const outcome: WriteOutcome = log.append(stream, events, expected);
  if (outcome.kind === 'stream-deleted')
    return failed(req, options, 'StreamDeleted', new sharedPb.StreamDeleted().setStreamIdentifier(streamIdentifier(stream)));
  if (outcome.kind === 'wrong-expected-version') {
    const details = new sharedPb.WrongExpectedVersion();
    if (outcome.current === null) details.setCurrentNoStream(new emptyPb.Empty());
    else details.setCurrentStreamRevision(String(outcome.current));
    if (expected === 'any') details.setExpectedAny(new emptyPb.Empty());
    else if (expected === 'no_stream') details.setExpectedNoStream(new emptyPb.Empty());
    else if (expected === 'stream_exists') details.setExpectedStreamExists(new emptyPb.Empty());
    else details.setExpectedStreamPosition(String(expected));
    return failed(req, options, 'WrongExpectedVersion', details);
  }
  const success = new streamsPb.BatchAppendResp.Success();
  if (outcome.revision < 0n) success.setNoStream(new emptyPb.Empty());
  else success.setCurrentRevision(String(outcome.revision));
  if (outcome.position === null) success.setNoPosition(new emptyPb.Empty());
  else success.setPosition(new sharedPb.AllStreamPosition().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position)));
  return envelope(req, options).setSuccess(success);
}

/** Every response names its correlation id, stream and the expected revision it was sent with. */
function envelope(req: BatchAppendReq, options: BatchAppendReq.Options | null): BatchAppendResp {
  const resp = new streamsPb.BatchAppendResp();
  const correlation = req.getCorrelationId();
  if (correlation) resp.setCorrelationId(correlation);
  if (!options) return resp.setStreamIdentifier(streamIdentifier(''));
  resp.setStreamIdentifier(options.getStreamIdentifier() ?? streamIdentifier(''));
  if (options.hasStreamPosition()) resp.setStreamPosition(options.getStreamPosition());
  else if (options.hasNoStream()) resp.setNoStream(new emptyPb.Empty());
  else if (options.hasStreamExists()) resp.setStreamExists(new emptyPb.Empty());
  else resp.setAny(new emptyPb.Empty());
  return resp;
}

function failed(
  req: BatchAppendReq,
  options: BatchAppendReq.Options | null,
  reason: string,
  details: Message,
  code: Code = codePb.Code.FAILED_PRECONDITION,
): BatchAppendResp {
  const packed = new anyPb.Any();
  packed.pack(details.serializeBinary(), `event_store.client.${reason}`);
  const status = new statusPb.Status().setCode(code).setMessage(reason).setDetails(packed);
  return envelope(req, options).setError(status);
}

const badRequest = (message: string) => new sharedPb.BadRequest().setMessage(message);
