// The catalog read models as data: a rebuild from the log gives the same rows (the
// handlers are deterministic), and the migration backfills the tree of existing rows.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import t from 'tap';
import * as skeleton from '../../src/projections/migrations/0001-skeleton.js';
import * as catalog from '../../src/projections/migrations/0004-catalog.js';
import { createReadDb } from '../../src/projections/read-db.js';
import { ProjectionRunner } from '../../src/projections/runner.js';
import { registerAccount, testApp } from '../support/app.js';
import { testDatabase } from '../support/db.js';
import { client } from './support.js';

t.test('rebuilding locations and categories from the log gives the same rows', async (t) => {
  const { app, system } = await testApp(t);
  const api = client(app, await registerAccount(app));
  const a = await api.create('/locations', { name: 'A' });
  const b = await api.create('/locations', { name: 'B', parentId: a });
  const c = await api.create('/locations', { name: 'C', parentId: b });
  const d = await api.create('/locations', { name: 'D' });
  await api.patch(`/locations/${b}`, { parentId: d, name: 'B2' });
  await api.patch(`/locations/${d}`, { parentId: a });
  await api.delete(`/locations/${c}`);
  const tools = await api.create('/categories', { name: 'Tools' });
  await api.patch(`/categories/${tools}`, { name: 'Hand tools' });
  await api.delete(`/categories/${tools}`);
  t.equal((await api.get(`/locations/${c}`)).statusCode, 200, 'the read models caught up');

  const rows = async () => ({
    locations: await system.db.selectFrom('locations').selectAll().orderBy('path').execute(),
    categories: await system.db.selectFrom('categories').selectAll().orderBy('id').execute(),
  });
  const before = await rows();
  t.same(
    before.locations.filter((l) => [b, c, d].includes(l.id)).map((l) => [l.id, l.path, l.depth]),
    [
      [d, `/${a}/${d}/`, 1],
      [b, `/${a}/${d}/${b}/`, 2],
      [c, `/${a}/${d}/${b}/${c}/`, 3],
    ],
    'paths follow both moves, the subtree moved along',
  );

  for (const name of ['locations', 'categories']) {
    const running = system.runners.find((r) => r.projection.name === name)!;
    await running.stop();
    const fresh = new ProjectionRunner(running.projection, { store: system.store, db: system.db, connection: system.connection, logger: pino({ level: 'silent' }) });
    await fresh.rebuild();
  }
  t.same(await rows(), before);
});

t.test('the catalog migration gives existing locations their paths', async (t) => {
  const { connection } = await testDatabase(t);
  const db = createReadDb(connection);
  // Migrations run on an untyped Kysely: the typed tables do not exist yet.
  const raw = db as unknown as Kysely<unknown>;
  await skeleton.up(raw);
  const tenant = randomUUID();
  const [root, child, grandchild, orphan] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const at = new Date('2026-01-01T00:00:00Z');
  const row = (id: string, parent_id: string | null) => ({ id, tenant_id: tenant, name: id.slice(0, 4), parent_id, created_at: at });
  // Only the skeleton's columns exist yet: insert through raw values.
  for (const r of [row(root, null), row(child, root), row(grandchild, child), row(orphan, randomUUID())])
    await connection.pool.query('INSERT INTO locations (id, tenant_id, name, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)', [
      r.id,
      r.tenant_id,
      r.name,
      r.parent_id,
      r.created_at,
    ]);
  await catalog.up(raw);
  const migrated = await db.selectFrom('locations').select(['id', 'path', 'depth', 'archived', 'revision', 'updated_at']).execute();
  const byId = new Map(migrated.map((m) => [m.id, m]));
  t.match(byId.get(root), { path: `/${root}/`, depth: 0, archived: false, revision: 0 });
  t.match(byId.get(grandchild), { path: `/${root}/${child}/${grandchild}/`, depth: 2 });
  t.match(byId.get(orphan), { path: `/${orphan}/`, depth: 0 }, 'a row whose parent is missing stands alone');
  t.same(new Date(byId.get(child)!.updated_at), at, 'updated_at starts as created_at');
  await catalog.down(raw);
  await catalog.up(raw);
  t.equal((await db.selectFrom('categories').selectAll().execute()).length, 0, 'down and up again');
});
