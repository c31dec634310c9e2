// Migrations land in the connection's own schema, even when another schema on the
// same server already has Kysely's bookkeeping tables (tests and benches share servers).
import { sql } from 'kysely';
import t from 'tap';
import { createReadDb, migrateReadDb } from '../../src/projections/read-db.js';
import { testDatabase } from '../support/db.js';

t.test('each database migrates on its own', async (t) => {
  const first = createReadDb((await testDatabase(t)).connection);
  t.ok((await migrateReadDb(first)).length > 0, 'a fresh database applies every migration');
  t.same(await migrateReadDb(first), [], 'and none twice');
  const second = createReadDb((await testDatabase(t)).connection);
  t.ok((await migrateReadDb(second)).length > 0, 'a second database beside it applies them too');
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_name = 'kysely_migration'`.execute(second);
  t.equal(rows[0]!.n, 1, 'its bookkeeping lives in its own schema');
});
