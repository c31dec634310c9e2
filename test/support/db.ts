// A fresh database for one test: an in-memory PGlite by default, or an isolated schema
// on the Postgres server named by DATABASE_URL (dropped when the test ends).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type Connection, type ConnectOptions } from '../../src/database.js';

export const databaseUrl = process.env.DATABASE_URL || undefined;
export const backend = databaseUrl ? 'postgres' : 'pglite';

export interface TestDatabase {
  /** Options that open another connection to the same database (e.g. from a child process). */
  options: ConnectOptions;
  connection: Connection;
  drop(): Promise<void>;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

export async function testDatabase(t: Teardown, opts: { dataDir?: string } = {}): Promise<TestDatabase> {
  if (!databaseUrl) {
    const options = { dataDir: opts.dataDir };
    const connection = await connect(options);
    t.teardown(() => connection.close());
    return { options, connection, drop: async () => undefined };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  const options = { url: databaseUrl, schema };
  const connection = await connect(options);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await connection.close();
    await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  };
  t.teardown(drop);
  return { options, connection, drop };
}

async function admin(fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
