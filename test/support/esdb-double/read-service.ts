// Streams.Read: reads of one stream or of $all, and (with `subscription {}` in place of a
// count) catch-up subscriptions, which live in subscriptions.ts.
import type grpc from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb.js';
import type { EventLog, LogRecord } from './log.js';
import { subscribe } from './subscriptions.js';
import { RpcError, invalidArgument, sharedPb, streamDeletedError, streamIdentifier, streamNameOf, streamsPb, uuidMessage } from './wire.js';

export type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

export function readHandler(log: EventLog, stopped: Promise<void>) {
  return (call: ReadCall) => {
    const options = call.request.getOptions();
    const done = options?.hasSubscription() ? subscribe(log, call, options, stopped) : read(log, call, options);
    done.then(
      () => {
        if (!call.cancelled && !call.destroyed) call.end();
      },
      (error: unknown) => {
        if (!call.cancelled && !call.destroyed)
          call.emit('error', error instanceof RpcError ? error : invalidArgument(String(error)));
      },
    );
  };
}

async function read(log: EventLog, call: ReadCall, options: ReadReq.Options | undefined): Promise<void> {
  if (!options) throw invalidArgument('Read needs options');
  const send = sender(call);
  const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
  const count = options.hasCount() ? BigInt(options.getCount()) : 0n;
  const structured = options.getUuidOption()?.hasStructured() ?? false;
  if (options.hasAll()) {
    const all = options.getAll()!;
    const from = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : all.hasEnd() ? 'end' : 'start';
    const keep = options.hasFilter() ? eventFilter(options.getFilter()!).matches : () => true;
    for (const record of log.readAll(from, backwards, count, keep))
      if (!(await send(eventMessage(record, structured, true)))) return;
    return;
  }
  const stream = streamNameOf(options.getStream()?.getStreamIdentifier());
  const revisionOption = options.getStream();
  const from = revisionOption?.hasRevision() ? BigInt(revisionOption.getRevision()) : revisionOption?.hasEnd() ? 'end' : 'start';
  const result = log.readStream(stream, from, backwards, count);
  if (result.kind === 'deleted') throw streamDeletedError(stream);
  if (result.kind === 'not-found') {
    const notFound = new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(stream));
    await send(new streamsPb.ReadResp().setStreamNotFound(notFound));
    return;
  }
  for (const record of result.records) if (!(await send(eventMessage(record, structured, false)))) return;
}

/** A `ReadEvent`; $all reads and subscriptions carry the commit position, stream reads do not. */
export function eventMessage(record: LogRecord, structuredIds: boolean, withPosition: boolean): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(record.id, structuredIds))
    .setStreamIdentifier(streamIdentifier(record.stream))
    .setStreamRevision(String(record.revision))
    .setPreparePosition(String(record.position))
    .setCommitPosition(String(record.position))
    .setCustomMetadata(record.customMetadata)
    .setData(record.data);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('content-type', record.isJson ? 'application/json' : 'application/octet-stream');
  metadata.set('created', String(record.created));
  const event = new streamsPb.ReadResp.ReadEvent().setEvent(recorded);
  if (withPosition) event.setCommitPosition(String(record.position));
  else event.setNoPosition(new sharedPb.Empty());
  return new streamsPb.ReadResp().setEvent(event);
}

export interface EventFilter {
  readonly matches: (record: LogRecord) => boolean;
  /** Events considered between two checkpoints: multiplier × window. */
  readonly checkpointInterval: number;
}

/** The server's filters: a non-empty regex (unanchored) wins over prefixes; on stream name or event type. */
export function eventFilter(filter: ReadReq.Options.FilterOptions): EventFilter {
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw invalidArgument('A filter needs a stream-name or event-type expression');
  const regexText = expression.getRegex();
  let regex: RegExp | null = null;
  try {
    regex = regexText ? new RegExp(regexText) : null;
  } catch {
    throw invalidArgument(`Invalid filter regex: ${regexText}`);
  }
  const prefixes = expression.getPrefixList();
  const subject = (record: LogRecord) => (onStream ? record.stream : record.type);
  const matches = regex
    ? (record: LogRecord) => regex.test(subject(record))
    : (record: LogRecord) => prefixes.some((p) => subject(record).startsWith(p));
  const multiplier = filter.getCheckpointintervalmultiplier();
  if (multiplier <= 0) throw invalidArgument('checkpointIntervalMultiplier must be greater than 0');
  const window = filter.hasMax() ? filter.getMax() : 32;
  return { matches, checkpointInterval: multiplier * window };
}

/**
 * Writes with backpressure. Resolves false once the client has gone, so a long read or
 * a live subscription stops instead of buffering for nobody.
 */
export function sender(call: ReadCall): (message: ReadResp) => Promise<boolean> {
  return async (message) => {
    if (call.cancelled || call.destroyed) return false;
    if (call.write(message)) return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        call.off('drain', done);
        call.off('cancelled', done);
        call.off('close', done);
        resolve();
      };
      call.on('drain', done);
      call.on('cancelled', done);
      call.on('close', done);
    });
    return !call.cancelled && !call.destroyed;
  };
}
