import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('products')
    .addColumn('in_transit', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('average_cost', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('is_low_stock', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.createIndex('products_tenant_category').on('products').columns(['tenant_id', 'category_id']).execute();
  await db.schema.createIndex('products_tenant_barcode').on('products').columns(['tenant_id', 'barcode']).execute();
  await sql`CREATE INDEX products_low_stock ON products (tenant_id) WHERE is_low_stock AND NOT archived`.execute(db);

  await db.schema
    .createTable('product_stock')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('product_id', 'uuid', (c) => c.notNull())
    .addColumn('location_id', 'uuid', (c) => c.notNull())
    .addColumn('lot_key', 'text', (c) => c.notNull())
    .addColumn('lot', 'text')
    .addColumn('expires_on', 'date')
    .addColumn('quantity', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_stock_pk', ['product_id', 'location_id', 'lot_key'])
    .execute();
  await db.schema.createIndex('product_stock_location').on('product_stock').columns(['tenant_id', 'location_id']).execute();
  await sql`CREATE INDEX product_stock_expiry ON product_stock (tenant_id, expires_on) WHERE expires_on IS NOT NULL AND quantity > 0`.execute(db);

  await db.schema
    .createTable('product_thresholds')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('product_id', 'uuid', (c) => c.notNull())
    .addColumn('location_id', 'uuid', (c) => c.notNull())
    .addColumn('min_threshold', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_thresholds_pk', ['product_id', 'location_id'])
    .execute();

  await db.schema
    .createTable('inventory_totals')
    .addColumn('tenant_id', 'uuid', (c) => c.primaryKey())
    .addColumn('products', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_stock', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('total_value', 'numeric', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('category_values')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('value', 'numeric', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('category_values_pk', ['tenant_id', 'category_id'])
    .execute();
  await createIdempotencyKeys(db);
}

async function createIdempotencyKeys(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('headers', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['tenant_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_keys', 'category_values', 'inventory_totals', 'product_thresholds', 'product_stock'])
    await db.schema.dropTable(table).ifExists().execute();
  await db.schema.alterTable('products').dropColumn('is_low_stock').dropColumn('average_cost').dropColumn('in_transit').execute();
}
