// Categories, and locations as a tree: a materialized path makes "this location and
// everything below it" one indexed prefix match, for listings and stock roll-ups.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('categories')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'uuid')
    .addColumn('archived', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('categories_tenant_name').on('categories').columns(['tenant_id', 'name']).execute();

  await db.schema
    .alterTable('locations')
    .addColumn('path', 'text')
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived', 'boolean', (c) => c.notNull().defaultTo(false))
    // Rows so far were projected from LocationCreated alone: revision 0.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz')
    .execute();
  // Existing rows: walk the tree once; anything not reachable from a root stands alone.
  await sql`
    WITH RECURSIVE tree (id, path, depth) AS (
      SELECT id, '/' || id || '/', 0 FROM locations WHERE parent_id IS NULL
      UNION ALL
      SELECT l.id, tree.path || l.id || '/', tree.depth + 1 FROM locations l JOIN tree ON l.parent_id = tree.id
    )
    UPDATE locations SET path = tree.path, depth = tree.depth FROM tree WHERE locations.id = tree.id`.execute(db);
  await sql`UPDATE locations SET path = '/' || id || '/' WHERE path IS NULL`.execute(db);
  await sql`UPDATE locations SET updated_at = created_at`.execute(db);
  await db.schema.alterTable('locations').alterColumn('path', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('locations').alterColumn('updated_at', (c) => c.setNotNull()).execute();
  // text_pattern_ops: LIKE 'prefix%' uses the index whatever the database's collation.
  await sql`CREATE INDEX locations_tenant_path ON locations (tenant_id, path text_pattern_ops)`.execute(db);
  await db.schema.createIndex('locations_tenant_parent').on('locations').columns(['tenant_id', 'parent_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('locations_tenant_parent').ifExists().execute();
  await db.schema.dropIndex('locations_tenant_path').ifExists().execute();
  await db.schema
    .alterTable('locations')
    .dropColumn('updated_at')
    .dropColumn('revision')
    .dropColumn('archived')
    .dropColumn('depth')
    .dropColumn('path')
    .execute();
  await db.schema.dropTable('categories').ifExists().execute();
}
