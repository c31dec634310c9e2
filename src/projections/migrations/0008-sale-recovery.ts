import { sql, type Kysely } from 'kysely';

// Sale recovery finds pending sales in the sales read model (src/reactors/sale-recovery.ts):
// the table and bookkeeping of the per-event recovery reactor go, and a sale keeps the
// correlation id of the request that started it, for the recovery's events. Returns and
// voids that restock are tracked until every line is back in stock.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sale_restocks')
    .addColumn('return_id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('sale_id', 'uuid', (c) => c.notNull())
    .addColumn('pending_lines', sql`integer[]`, (c) => c.notNull())
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX sale_restocks_pending_since ON sale_restocks (created_at) WHERE cardinality(pending_lines) > 0`.execute(db);
  await db.schema.alterTable('sales').addColumn('correlation_id', 'text').execute();
  await sql`CREATE INDEX sales_pending_since ON sales (created_at) WHERE status = 'pending'`.execute(db);
  await db.schema.dropTable('pending_sales').ifExists().execute();
  await sql`DELETE FROM reactor_deliveries WHERE reactor = 'sale-recovery'`.execute(db);
  await sql`DELETE FROM reactor_checkpoints WHERE name = 'sale-recovery'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pending_sales')
    .addColumn('sale_id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pending_sales_started').on('pending_sales').columns(['started_at']).execute();
  await sql`INSERT INTO pending_sales SELECT id, tenant_id, created_at, coalesce(correlation_id, id::text) FROM sales WHERE status = 'pending'`.execute(db);
  await db.schema.dropIndex('sales_pending_since').execute();
  await db.schema.alterTable('sales').dropColumn('correlation_id').execute();
  await db.schema.dropTable('sale_restocks').execute();
}
