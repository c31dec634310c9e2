// The bench's database: a real PostgreSQL server (the baseline is "plain Postgres", and a
// ratio between two different engines would mean nothing), in a schema of the run's own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BenchError, type BenchDatabase } from './context.js';
import type { Cleanup } from './cleanup.js';

export const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function openBenchDatabase(url: string, cleanup: Cleanup): Promise<BenchDatabase> {
  await admin(url, async () => undefined).catch((error: unknown) => {
    throw new BenchError(
      `No PostgreSQL server at ${redact(url)} (${error instanceof Error ? error.message : String(error)}).\n` +
        'The bench needs one for both Stockbook and the CRUD baseline: set DATABASE_URL, or start a server there.',
    );
  });
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  cleanup.defer(`drop schema ${schema}`, () => admin(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)));
  const pool = new pg.Pool({ connectionString: url, options: searchPath(schema), max: 4 });
  pool.on('error', () => undefined);
  cleanup.defer('close bench pool', () => pool.end());
  return { url, schema, pool };
}

/** The connection option that puts a session in `schema` (what `connect({ schema })` does). */
export const searchPath = (schema: string) => `-c search_path=${schema}`;

/** The URL without its password, for printing. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function admin(url: string, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * VACUUM ANALYZE every table of the run's schema, and nothing outside it: fresh statistics
 * and visibility maps, as autovacuum would leave a table in service (a test server may run
 * with autovacuum off). Returns the seconds it took.
 */
export async function vacuumSchema(db: BenchDatabase): Promise<number> {
  const started = Date.now();
  const { rows } = await db.pool.query<{ name: string }>(
    "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = $1",
    [db.schema],
  );
  for (const { name } of rows) await db.pool.query(`VACUUM (ANALYZE) ${name}`);
  return (Date.now() - started) / 1000;
}
