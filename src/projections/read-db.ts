// The read-model database: Kysely over the deployment's connection, and its migrations
// (Kysely's Migrator, applied at start; the list is static so a bundle needs no fs).
import { Kysely, PostgresDialect, sql, type PostgresPool } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import type { Connection } from '../database.js';
import * as skeleton from './migrations/0001-skeleton.js';
import * as identity from './migrations/0002-identity.js';
import * as inventory from './migrations/0003-inventory.js';
import * as catalog from './migrations/0004-catalog.js';
import * as productSearch from './migrations/0005-product-search.js';
import * as customers from './migrations/0006-customers.js';
import * as sales from './migrations/0007-sales.js';
import * as saleRecovery from './migrations/0008-sale-recovery.js';
import type { Database } from './schema.js';

export type ReadDb = Kysely<Database>;

const migrations: Record<string, Migration> = {
  '0001-skeleton': skeleton,
  '0002-identity': identity,
  '0003-inventory': inventory,
  '0004-catalog': catalog,
  '0005-product-search': productSearch,
  '0006-customers': customers,
  '0007-sales': sales,
  '0008-sale-recovery': saleRecovery,
};

export function createReadDb(connection: Connection): ReadDb {
  // PostgresDialect accepts any pool with pg's connect/query/release contract.
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: connection.pool as unknown as PostgresPool }),
  });
}

export async function migrateReadDb(db: ReadDb): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in any schema unless told which one; with
  // several schemas on one server (tests, benches) it would find another's.
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: rows[0]!.schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
