// The one SQL database of a deployment: a `pg` pool on a Postgres server, or PGlite
// (embedded Postgres in WebAssembly, file-backed) when no server is configured.
// The PostgreSQL event store and the read models both run on it, through the same
// small pg-compatible pool interface that Kysely's PostgresDialect also accepts.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';

export interface QueryResult<R> {
  rows: R[];
  rowCount?: number | null;
  command?: string;
}

export interface PoolClient {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  release(): void;
}

/** The subset of `pg.Pool` that Stockbook (and Kysely's PostgresDialect) uses. */
export interface Pool {
  connect(): Promise<PoolClient>;
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Connection {
  readonly kind: 'postgres' | 'pglite';
  readonly pool: Pool;
  /**
   * Takes a session-level advisory lock that is held until `release` is called or the
   * process dies (the server drops the session). Null when another session holds it.
   */
  tryLock(name: string): Promise<{ release(): Promise<void> } | null>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres:// URL; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data directory; in memory when omitted. */
  dataDir?: string | undefined;
  /** Postgres schema to use (tests isolate themselves in their own schema). */
  schema?: string | undefined;
  max?: number;
}

// Dates stay `YYYY-MM-DD` strings and int8 counts become numbers: the same on both drivers.
const DATE = 1082;
const INT8 = 20;

export async function connect(options: ConnectOptions): Promise<Connection> {
  return options.url ? connectPostgres(options.url, options) : connectPglite(options.dataDir);
}

// The lock key folds in the schema so that isolated schemas on one server do not contend.
const LOCK_SQL = `SELECT pg_try_advisory_lock(hashtext(current_schema() || ':' || $1)) AS locked`;

function connectPostgres(url: string, options: ConnectOptions): Connection {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === DATE ? (v: string) => v : oid === INT8 ? Number : pg.types.getTypeParser(oid, format),
  };
  const settings = {
    connectionString: url,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...settings, max: options.max ?? 10 });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    pool: pool as unknown as Pool,
    async tryLock(name) {
      // A dedicated session, not a pooled one: the lock lives exactly as long as it.
      const client = new pg.Client(settings);
      client.on('error', () => undefined);
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>(LOCK_SQL, [name]);
      if (!rows[0]?.locked) {
        await client.end();
        return null;
      }
      return { release: () => client.end() };
    },
    close: once(() => pool.end()),
  };
}

async function connectPglite(dataDir: string | undefined): Promise<Connection> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, {
    // Trigram indexes make product search fast (the read models create the extension).
    extensions: { pg_trgm },
    parsers: { [DATE]: (v: string) => v, [INT8]: (v: string) => Number(v) },
  });
  const pool = new SingleConnectionPool(db);
  return {
    kind: 'pglite',
    pool,
    // One process owns an embedded database, so it holds every lock.
    tryLock: async () => ({ release: async () => undefined }),
    close: once(async () => {
      await pool.drain();
      await db.close();
    }),
  };
}

/**
 * PGlite is a single session: a "pool" of one connection handed out in turn, so a
 * transaction begun on it is never interleaved with another caller's statements.
 */
class SingleConnectionPool implements Pool {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly db: PGlite) {}

  async connect(): Promise<PoolClient> {
    let release!: () => void;
    const turn = new Promise<void>((r) => (release = r));
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    await previous;
    let released = false;
    return {
      query: (text, params) => this.run(text, params),
      release: () => {
        if (!released) (released = true), release();
      },
    };
  }

  async query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const client = await this.connect();
    try {
      return await client.query<R>(text, params);
    } finally {
      client.release();
    }
  }

  // Like pg: text without parameters may hold several statements (simple protocol).
  private async run<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    if (params?.length) return this.db.query<R>(text, params as unknown[]);
    const results = await this.db.exec(text);
    return (results.at(-1) ?? { rows: [] }) as QueryResult<R>;
  }

  drain(): Promise<void> {
    return this.tail;
  }
}

/** Closing twice (a test's teardown after a deliberate close) is harmless. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/** Socket-level failures and Postgres "connection exception" / "operator intervention" classes. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return /Connection terminated|connect E|timeout exceeded when trying to connect/i.test(error.message);
  return /^(ECONN|ENOTFOUND|ETIMEDOUT|EPIPE|08|57P)/.test(code);
}

/**
 * Runs DDL in one transaction under an advisory lock named for the current schema:
 * `CREATE … IF NOT EXISTS` from two processes at once can still collide.
 */
export async function migrateUnderLock(pool: Pool, name: string, ddl: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || $1))`, [`:${name}`]);
    await client.query(ddl);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
