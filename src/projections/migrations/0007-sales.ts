import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sales')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('customer_id', 'uuid')
    .addColumn('location_id', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'numeric', (c) => c.notNull())
    .addColumn('cost', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('refunded', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('returned_cost', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('short_lines', 'jsonb')
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sales_tenant_created').on('sales').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('sales_tenant_customer').on('sales').columns(['tenant_id', 'customer_id']).execute();
  await db.schema
    .createTable('sale_lines')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('sale_id', 'uuid', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'uuid', (c) => c.notNull())
    .addColumn('quantity', 'numeric', (c) => c.notNull())
    .addColumn('unit_price', 'numeric', (c) => c.notNull())
    .addColumn('cost', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('returned', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('returned_cost', 'numeric', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('sale_lines_pk', ['sale_id', 'line'])
    .execute();
  await db.schema.createIndex('sale_lines_product').on('sale_lines').columns(['tenant_id', 'product_id']).execute();
  await sql`CREATE INDEX sales_pending ON sales (tenant_id) WHERE status = 'pending'`.execute(db);
  // The sale-recovery reactor's own state (not a projection: rebuilds leave it alone).
  await db.schema
    .createTable('pending_sales')
    .addColumn('sale_id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pending_sales_started').on('pending_sales').columns(['started_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pending_sales').ifExists().execute();
  await db.schema.dropTable('sale_lines').ifExists().execute();
  await db.schema.dropTable('sales').ifExists().execute();
}
