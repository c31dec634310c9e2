// What projection runners and reactor runners share: a subscriber that runs in one
// process at a time (a session advisory lock, so a process that dies lets go), in the
// background until stopped, restarting with backoff when it fails, or once up to the
// log's head for one-shot runs.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Connection } from '../database.js';

export interface WorkerOptions {
  connection: Connection;
  logger: Logger;
  backoffMs?: number;
}

export abstract class ExclusiveWorker {
  protected readonly controller = new AbortController();
  private running: Promise<void> | null = null;

  constructor(
    /** The lock's name, and what the logs call this worker: `projection:products`. */
    private readonly lockName: string,
    private readonly workerOptions: WorkerOptions,
  ) {}

  /** Runs in the background until `stop`; waits its turn if another process holds the lock. */
  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
  }

  /** Handles everything in the log up to now, then returns (rebuilds, tests, one-shot runs). */
  async catchUp(): Promise<void> {
    await this.exclusively(AbortSignal.timeout(60_000), () => this.consume(this.controller.signal, true));
  }

  /** Reads the log from the checkpoint; live until aborted, or only up to the head. */
  protected abstract consume(signal: AbortSignal, untilCaughtUp: boolean): Promise<void>;

  /** Runs `task` holding the lock, waiting for it as long as `signal` allows. */
  protected async exclusively(signal: AbortSignal, task: () => Promise<void>): Promise<void> {
    const lock = await this.acquire(signal);
    try {
      await task();
    } finally {
      await lock.release();
    }
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await this.exclusively(signal, () => this.consume(signal, false));
      } catch (error) {
        if (signal.aborted) break;
        this.workerOptions.logger.error({ err: error, worker: this.lockName }, 'worker stopped; restarting');
        await sleep(this.workerOptions.backoffMs ?? 1000, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async acquire(signal: AbortSignal): Promise<{ release(): Promise<void> }> {
    for (;;) {
      const lock = await this.workerOptions.connection.tryLock(this.lockName);
      if (lock) return lock;
      await sleep(500, undefined, { signal });
    }
  }
}
