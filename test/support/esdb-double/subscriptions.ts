// Catch-up subscriptions to a stream or to $all, as the server sends them:
//   confirmation -> catch-up events -> checkpoint (filtered $all only) -> caught_up -> live
// Catch-up and live are one walk over the log: a subscription keeps its place in $all
// and waits for the next write when it reaches the end, so nothing falls in a gap.
import { randomUUID } from 'node:crypto';
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb.js';
import { DELETED, type EventLog, type LogRecord } from './log.js';
import { eventFilter, eventMessage, sender, type EventFilter, type ReadCall } from './read-service.js';
import { streamDeletedError, streamNameOf, streamsPb } from './wire.js';

type Verdict = 'deliver' | 'skip' | 'deleted';

interface Target {
  /** Index in $all of the first record to look at. */
  readonly from: number;
  readonly verdict: (record: LogRecord) => Verdict;
  /** Only filtered $all subscriptions report checkpoints. */
  readonly filter: EventFilter | null;
  /** The stream a stream subscription follows, to fail it once tombstoned. */
  readonly stream: string | null;
}

export async function subscribe(log: EventLog, call: ReadCall, options: ReadReq.Options, stopped: Promise<void>): Promise<void> {
  const target = options.hasAll() ? allTarget(log, options) : streamTarget(log, options);
  if (target.stream !== null && log.isTombstoned(target.stream)) throw streamDeletedError(target.stream);
  const send = sender(call);
  const structured = options.getUuidOption()?.hasStructured() ?? false;
  const gone = Promise.race([
    stopped,
    new Promise<void>((resolve) => {
      call.once('cancelled', resolve);
      call.once('close', resolve);
    }),
  ]);
  let ended = false;
  void gone.then(() => {
    ended = true;
  });
  const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
  if (!(await send(new streamsPb.ReadResp().setConfirmation(confirmation)))) return;

  const checkpoint = (position: bigint) =>
    send(
      new streamsPb.ReadResp().setCheckpoint(
        new streamsPb.ReadResp.Checkpoint().setCommitPosition(String(position)).setPreparePosition(String(position)),
      ),
    );
  let cursor = target.from;
  // Counts events considered (scanned), not matched: a long run of other streams'
  // events still moves the checkpoint on.
  let considered = 0;
  let caughtUp = false;
  for (;;) {
    while (cursor < log.all.length) {
      const record = log.all[cursor++]!;
      const verdict = target.verdict(record);
      if (verdict === 'deleted') throw streamDeletedError(record.stream);
      if (verdict === 'deliver' && !(await send(eventMessage(record, structured, true)))) return;
      if (target.filter && ++considered >= target.filter.checkpointInterval) {
        considered = 0;
        if (!(await checkpoint(record.position))) return;
      }
    }
    if (!caughtUp) {
      caughtUp = true;
      const head = log.all.at(-1);
      // Reaching the end of catch-up is a checkpoint too; it may name a filtered-out event.
      if (target.filter && head) {
        considered = 0;
        if (!(await checkpoint(head.position))) return;
      }
      if (!(await send(new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp())))) return;
      // Writes may have come in while those were sent: look again before waiting.
      continue;
    }
    // No await between the last look at the log and this: no write can slip between them.
    await log.nextWrite(gone);
    if (ended || call.cancelled || call.destroyed) return;
  }
}

/** Start is exclusive: `start` = from the first record, `end` = only new ones, a position = after it. */
function allTarget(log: EventLog, options: ReadReq.Options): Target {
  const all = options.getAll()!;
  const from = all.hasPosition()
    ? log.firstIndexAtOrAfter(BigInt(all.getPosition()!.getCommitPosition()) + 1n)
    : all.hasEnd()
      ? log.all.length
      : 0;
  const filter = options.hasFilter() ? eventFilter(options.getFilter()!) : null;
  const verdict = (record: LogRecord): Verdict => (!filter || filter.matches(record) ? 'deliver' : 'skip');
  return { from, verdict, filter, stream: null };
}

/** A stream that does not exist yet is waited on; a soft-deleted one shows only what follows `$tb`. */
function streamTarget(log: EventLog, options: ReadReq.Options): Target {
  const stream = options.getStream()!;
  const name = streamNameOf(stream.getStreamIdentifier());
  const after = stream.hasRevision() ? BigInt(stream.getRevision()) : -1n;
  const from = stream.hasEnd() ? log.all.length : 0;
  const verdict = (record: LogRecord): Verdict => {
    if (record.stream !== name) return 'skip';
    if (record.revision === DELETED) return 'deleted';
    return record.revision > after && record.revision >= log.firstVisible(name) ? 'deliver' : 'skip';
  };
  return { from, verdict, filter: null, stream: name };
}
