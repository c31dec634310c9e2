// Reads of the whole log (readAll, headPosition) on Postgres see only transactions below
// the oldest one still running anywhere on the server, so right after a write they may
// lag for a moment when other work shares the server. Tests that read the log poll.
import { setTimeout as sleep } from 'node:timers/promises';

/** The first value of `read()` that satisfies `done`, or the last one after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}
