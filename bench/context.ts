// What every scenario is handed: the options, the database it may use, somewhere to
// register teardown, and a progress log (stderr, so stdout stays the report).
import type pg from 'pg';
import type { Cleanup } from './cleanup.js';

export interface BenchOptions {
  /** Seconds per measurement. */
  duration: number;
  /** Seconds of unmeasured load per target first, so the JIT and caches are warm. */
  warmup: number;
  connections: number;
  products: number;
  tenants: number;
}

export interface BenchDatabase {
  /** The server's URL (the schema is not in it: children pass it as a connection option). */
  url: string;
  /** A schema of this run's own, dropped at the end. */
  schema: string;
  /** A small pool whose search_path is `schema`, for seeding and checking. */
  pool: pg.Pool;
}

export interface BenchContext {
  scenario: string;
  options: BenchOptions;
  db: BenchDatabase;
  cleanup: Cleanup;
  log(message: string): void;
}

/** A failure the user can act on: printed without a stack trace. */
export class BenchError extends Error {}
