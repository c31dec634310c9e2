// Indexes for the product list at scale (measured by `npm run bench -- products-list`):
// trigram search on name/SKU/barcode, low-stock sorted by quantity, and by category.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // An extension exists once per database, in one schema: public, so that every schema
  // on the server (tests, benches) finds its operator classes. Parallel migrations on
  // one server would race to create it.
  await sql`SELECT pg_advisory_xact_lock(hashtext('stockbook:pg_trgm'))`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`.execute(db);
  await sql`CREATE INDEX products_search_trgm ON products
    USING gin (name public.gin_trgm_ops, sku public.gin_trgm_ops, barcode public.gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX products_low_stock_by_quantity ON products (tenant_id, quantity DESC, id) WHERE is_low_stock AND NOT archived`.execute(db);
  await sql`CREATE INDEX products_tenant_category_name ON products (tenant_id, category_id, name, id) WHERE NOT archived`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['products_tenant_category_name', 'products_low_stock_by_quantity', 'products_search_trgm'])
    await sql`DROP INDEX IF EXISTS ${sql.ref(index)}`.execute(db);
}
