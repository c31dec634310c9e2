import { randomUUID } from 'node:crypto';
import t from 'tap';
import { problem, registerAccount, testApp } from '../support/app.js';
import { client, json } from './support.js';

const typeOf = (slug: string) => `https://stockbook.dev/problems/${slug}`;

t.test('create, read, rename with If-Match, archive', async (t) => {
  const { app, system } = await testApp(t);
  const api = client(app, await registerAccount(app));

  const created = await api.post('/categories', { name: '  Hand tools ' });
  t.equal(created.statusCode, 201);
  const { id, revision } = json<{ id: string; revision: number }>(created);
  t.equal(revision, 0);
  t.equal(created.headers.location, `/api/v1/categories/${id}`);
  t.match(created.headers['x-log-position'], /^\d+\.\d+$/);

  const one = await api.get(`/categories/${id}`);
  t.equal(one.statusCode, 200);
  t.match(json(one), { id, name: 'Hand tools', parentId: null, archived: false });
  t.equal(one.headers.etag, '"0"', 'ETag is the stream revision');

  const renamed = await api.patch(`/categories/${id}`, { name: 'Tools' }, '"0"');
  t.equal(renamed.statusCode, 200);
  t.equal(renamed.headers.etag, '"1"');
  t.match(json(await api.get(`/categories/${id}`)), { name: 'Tools' });

  const before = (await system.store.readAll()).length;
  const stale = await api.patch(`/categories/${id}`, { name: 'Saws' }, '"0"');
  t.equal(stale.statusCode, 412);
  t.equal(problem(stale).type, typeOf('precondition-failed'));
  t.equal((await api.delete(`/categories/${id}`, '"7"')).statusCode, 412);
  t.equal((await api.delete(`/categories/${id}`, 'garbage')).statusCode, 412, 'an If-Match that names no revision cannot match');
  t.equal((await system.store.readAll()).length, before, 'the refused changes appended nothing');

  const same = await api.patch(`/categories/${id}`, { name: 'Tools' });
  t.equal(same.statusCode, 200);
  t.equal(same.headers.etag, '"1"', 'a rename to the current name changes nothing');
  t.equal((await system.store.readAll()).length, before);

  const archived = await api.delete(`/categories/${id}`, '"1"');
  t.equal(archived.statusCode, 204);
  t.equal(archived.headers.etag, '"2"');
  t.match(json(await api.get(`/categories/${id}`)), { id, archived: true }, 'archived, not deleted');
  t.equal(json<{ total: number }>(await api.get('/categories')).total, 0, 'not listed by default');
  t.match(json(await api.get('/categories?archived=true')), { total: 1, items: [{ id, name: 'Tools' }] });

  const after = (await system.store.readAll()).length;
  t.equal((await api.delete(`/categories/${id}`)).statusCode, 204, 'archiving twice is fine');
  t.equal((await system.store.readAll()).length, after, 'and appends nothing');
  const late = await api.patch(`/categories/${id}`, { name: 'Again' });
  t.equal(late.statusCode, 409);
  t.equal(problem(late).type, typeOf('category-archived'));
  t.equal((await system.store.readAll()).length, after);
});

t.test('names are unique per tenant, freed by a rename or an archive', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const acme = client(app, await registerAccount(app));
  const other = client(app, await registerAccount(app));
  const tools = await acme.create('/categories', { name: 'Power Tools' });
  const paint = await acme.create('/categories', { name: 'Paint' });

  const before = (await system.store.readAll()).length;
  const dup = await acme.post('/categories', { name: 'power   tools' });
  t.equal(dup.statusCode, 409, 'case and spacing do not make a new name');
  t.match(problem(dup), { type: typeOf('category-name-taken'), categoryId: tools });
  const clash = await acme.patch(`/categories/${paint}`, { name: 'POWER TOOLS' });
  t.equal(clash.statusCode, 409);
  t.equal((await system.store.readAll()).length, before, 'rejected: nothing appended, not even a reservation');

  t.equal((await other.post('/categories', { name: 'Power Tools' })).statusCode, 201, 'another tenant has its own names');

  t.equal((await acme.patch(`/categories/${tools}`, { name: 'power tools' })).statusCode, 200, 'a category may change the case of its own name');
  t.equal((await acme.patch(`/categories/${paint}`, { name: 'Paints' })).statusCode, 200);
  t.equal((await acme.post('/categories', { name: 'Paint' })).statusCode, 201, 'the old name is free after a rename');
  t.equal((await acme.delete(`/categories/${tools}`)).statusCode, 204);
  t.equal((await acme.post('/categories', { name: 'Power Tools' })).statusCode, 201, 'and after an archive');
});

t.test('sub-categories need an active parent', async (t) => {
  const { app, system } = await testApp(t);
  const api = client(app, await registerAccount(app));
  const tools = await api.create('/categories', { name: 'Tools' });
  const saws = await api.create('/categories', { name: 'Saws', parentId: tools });
  await api.create('/categories', { name: 'Paint' });
  t.match(json(await api.get(`/categories?parentId=${tools}`)), { total: 1, items: [{ id: saws, parentId: tools }] });

  const old = await api.create('/categories', { name: 'Old' });
  t.equal((await api.delete(`/categories/${old}`)).statusCode, 204);
  const before = (await system.store.readAll()).length;
  const nowhere = await api.post('/categories', { name: 'Orphan', parentId: randomUUID() });
  t.equal(nowhere.statusCode, 422);
  t.equal(problem(nowhere).type, typeOf('unknown-category'));
  const underArchived = await api.post('/categories', { name: 'Orphan', parentId: old });
  t.equal(underArchived.statusCode, 422);
  t.equal(problem(underArchived).type, typeOf('parent-archived'));
  t.equal((await system.store.readAll()).length, before, 'nothing appended, the name stays free');
  t.equal((await api.post('/categories', { name: 'Orphan' })).statusCode, 201);
});

t.test('list: search, sort, pages', async (t) => {
  const { app } = await testApp(t);
  const api = client(app, await registerAccount(app));
  for (const name of ['Fasteners', 'Adhesives', 'Electrical', 'Garden']) await api.create('/categories', { name });
  const names = async (query: string) => json<{ items: { name: string }[] }>(await api.get(`/categories?${query}`)).items.map((c) => c.name);

  t.same(await names(''), ['Adhesives', 'Electrical', 'Fasteners', 'Garden'], 'by name unless told otherwise');
  t.same(await names('sort=-name'), ['Garden', 'Fasteners', 'Electrical', 'Adhesives']);
  t.same(await names('sort=createdAt'), ['Fasteners', 'Adhesives', 'Electrical', 'Garden']);
  t.same(await names('search=EN'), ['Fasteners', 'Garden']);
  t.same(await names('search=%25'), [], 'a % searches for itself');
  const page = json<{ items: { name: string }[]; total: number; page: number; pageSize: number }>(await api.get('/categories?page=2&pageSize=3'));
  t.match(page, { total: 4, page: 2, pageSize: 3 });
  t.same(page.items.map((c) => c.name), ['Garden']);
});

t.test('bad input is a 400 problem naming the field', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const api = client(app, await registerAccount(app));
  const before = (await system.store.readAll()).length;
  const cases: [string, Promise<import('fastify').LightMyRequestResponse>, string][] = [
    ['empty name', api.post('/categories', { name: '   ' }), 'name'],
    ['long name', api.post('/categories', { name: 'x'.repeat(101) }), 'name'],
    ['no name', api.post('/categories', {}), 'name'],
    ['parent not an id', api.post('/categories', { name: 'A', parentId: 'tools' }), 'parentId'],
    ['rename without a name', api.patch(`/categories/${randomUUID()}`, {}), 'name'],
    ['id not an id', api.get('/categories/123'), 'id'],
    ['page size', api.get('/categories?pageSize=101'), 'pageSize'],
    ['sort field', api.get('/categories?sort=colour'), 'sort'],
    ['archived flag', api.get('/categories?archived=maybe'), 'archived'],
  ];
  for (const [label, pending, field] of cases) {
    const res = await pending;
    t.equal(res.statusCode, 400, label);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.match(problem(res), { type: typeOf('validation') });
    t.ok(problem(res).errors?.some((e) => e.field === field), `${label}: names ${field}`);
  }
  t.equal((await system.store.readAll()).length, before);
});

t.test("another tenant's category is a 404, for reads and for commands", async (t) => {
  const { app, system } = await testApp(t);
  const acme = client(app, await registerAccount(app));
  const intruder = client(app, await registerAccount(app));
  const id = await acme.create('/categories', { name: 'Secret' });
  t.equal((await acme.get(`/categories/${id}`)).statusCode, 200);

  const before = (await system.store.readAll()).length;
  t.equal((await intruder.get(`/categories/${id}`)).statusCode, 404);
  t.equal((await intruder.patch(`/categories/${id}`, { name: 'Mine' })).statusCode, 404);
  t.equal((await intruder.patch(`/categories/${id}`, { name: 'Mine' }, '"0"')).statusCode, 404, 'even with the right ETag');
  t.equal((await intruder.delete(`/categories/${id}`)).statusCode, 404);
  t.equal((await intruder.delete(`/categories/${id}`, '"0"')).statusCode, 404);
  const child = await intruder.post('/categories', { name: 'Child', parentId: id });
  t.equal(child.statusCode, 422, 'as a parent it is unknown, like any id that is not theirs');
  t.equal(json<{ total: number }>(await intruder.get('/categories?archived=false')).total, 0);
  t.equal((await system.store.readAll()).length, before, 'nothing appended');
  t.match(json(await acme.get(`/categories/${id}`)), { name: 'Secret', archived: false });
});

t.test('the catalog routes are in the OpenAPI document, If-Match included', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const doc = (await app.inject({ url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  }>();
  for (const path of ['/api/v1/categories', '/api/v1/locations']) t.ok(doc.paths[path]?.get && doc.paths[path]?.post, path);
  for (const path of ['/api/v1/categories/{id}', '/api/v1/locations/{id}']) {
    t.ok(doc.paths[path]?.get, `GET ${path}`);
    for (const method of ['patch', 'delete'])
      t.ok(doc.paths[path]?.[method]?.parameters?.some((p) => p.in === 'header' && p.name === 'if-match'), `${method} ${path} documents If-Match`);
  }
});
