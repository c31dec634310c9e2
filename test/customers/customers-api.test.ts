import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { bearer, problem, registerAccount, testApp } from '../support/app.js';
import { client, json } from '../catalog/support.js';

const typeOf = (slug: string) => `https://stockbook.dev/problems/${slug}`;

t.test('create, read, change with If-Match, archive', async (t) => {
  const { app, system } = await testApp(t);
  const api = client(app, await registerAccount(app));
  const log = async () => system.store.readAll();

  const created = await api.post('/customers', { name: '  Ann Lee ', email: ' ann@example.test ', phone: '+1 (555) 010-0199', note: 'Pays by card' });
  t.equal(created.statusCode, 201);
  const { id, revision } = json<{ id: string; revision: number }>(created);
  t.equal(revision, 0);
  t.equal(created.headers.location, `/api/v1/customers/${id}`);
  t.equal(created.headers.etag, '"0"');
  t.match(created.headers['x-log-position'], /^\d+\.\d+$/);

  const one = await api.get(`/customers/${id}`);
  t.equal(one.statusCode, 200);
  t.same(json(one), {
    id,
    name: 'Ann Lee',
    email: 'ann@example.test',
    phone: '+1 (555) 010-0199',
    note: 'Pays by card',
    archived: false,
    createdAt: json<{ createdAt: string }>(one).createdAt,
    updatedAt: json<{ createdAt: string }>(one).createdAt,
    addresses: [],
  });
  t.equal(one.headers.etag, '"0"', 'ETag is the stream revision');

  const before = (await log()).length;
  const changed = await api.patch(`/customers/${id}`, { name: 'Ann Park', email: 'ann@park.test', note: '' }, '"0"');
  t.equal(changed.statusCode, 200);
  t.equal(changed.headers.etag, '"3"');
  const appended = (await log()).slice(before);
  t.same(
    appended.map((e) => e.type),
    ['CustomerRenamed', 'CustomerContactChanged', 'CustomerNoteChanged'],
    'one event per change, specific',
  );
  t.equal(new Set(appended.map((e) => e.metadata.correlationId)).size, 1, 'appended together, by one request');
  t.match(json(await api.get(`/customers/${id}`)), { name: 'Ann Park', email: 'ann@park.test', phone: '+1 (555) 010-0199', note: null });

  const unchanged = (await log()).length;
  const stale = await api.patch(`/customers/${id}`, { name: 'Someone' }, '"0"');
  t.equal(stale.statusCode, 412);
  t.match(problem(stale), { type: typeOf('precondition-failed'), revision: 3 });
  t.equal((await api.delete(`/customers/${id}`, '"1"')).statusCode, 412);
  t.equal((await api.delete(`/customers/${id}`, 'garbage')).statusCode, 412, 'an If-Match that names no revision cannot match');
  const same = await api.patch(`/customers/${id}`, { name: 'Ann Park', phone: '+1 (555) 010-0199' });
  t.equal(same.statusCode, 200);
  t.equal(same.headers.etag, '"3"', 'a change to what is already there changes nothing');
  t.equal((await log()).length, unchanged, 'the refused and empty changes appended nothing');

  const cleared = await api.patch(`/customers/${id}`, { phone: null }, '"3"');
  t.equal(cleared.statusCode, 200);
  t.match(json(await api.get(`/customers/${id}`)), { email: 'ann@park.test', phone: null });

  const archived = await api.delete(`/customers/${id}`, '"4"');
  t.equal(archived.statusCode, 204);
  t.equal(archived.headers.etag, '"5"');
  t.match(json(await api.get(`/customers/${id}`)), { id, archived: true }, 'archived, not deleted');
  t.equal(json<{ total: number }>(await api.get('/customers')).total, 0, 'not listed by default');
  t.match(json(await api.get('/customers?archived=true')), { total: 1, items: [{ id, name: 'Ann Park' }] });

  const after = (await log()).length;
  t.equal((await api.delete(`/customers/${id}`)).statusCode, 204, 'archiving twice is fine');
  t.equal((await log()).length, after, 'and appends nothing');
  const late = await api.patch(`/customers/${id}`, { name: 'Again' });
  t.equal(late.statusCode, 409);
  t.equal(problem(late).type, typeOf('customer-archived'));
  const address = await api.post(`/customers/${id}/addresses`, { kind: 'shipping', line1: '1 Main St', city: 'Springfield', country: 'US' });
  t.equal(address.statusCode, 409);
  t.equal((await log()).length, after, 'rejected commands append nothing');

  const ctx = { tenantId: (await registerAccount(app)).tenantId, actorId: 'system:test', correlationId: 'c', causationId: 'c', now: new Date() };
  const live = await system.commands.createCustomer(ctx, { name: 'Bob', email: null, phone: null, note: null });
  t.equal(await system.commands.customerStatus(ctx, live.id), 'active', 'customerStatus: for sales to check a customer');
  await system.commands.archiveCustomer(ctx, live.id);
  t.equal(await system.commands.customerStatus(ctx, live.id), 'archived');
  t.equal(await system.commands.customerStatus(ctx, randomUUID()), 'none');
  t.equal(await system.commands.customerStatus(ctx, id), 'none', "another tenant's customer is none");
});

t.test('search by name, email or phone; sort; pages', async (t) => {
  const { app } = await testApp(t);
  const api = client(app, await registerAccount(app));
  const people = [
    { name: 'Ann Lee', email: 'ann@lee.test', phone: '+1 (555) 010-0199' },
    { name: 'Bob Stone', email: 'bob@quarry.test', phone: '030 9876 5432' },
    { name: 'Chloé Martin', email: null, phone: '+33 6 12 34 56 78' },
    { name: 'Dan 100%', email: 'dan@shop.test', phone: null },
  ];
  for (const p of people) await api.create('/customers', p);
  const names = async (query: string) => json<{ items: { name: string }[] }>(await api.get(`/customers?${query}`)).items.map((c) => c.name);

  t.same(await names(''), ['Ann Lee', 'Bob Stone', 'Chloé Martin', 'Dan 100%'], 'by name unless told otherwise');
  t.same(await names('search=STONE'), ['Bob Stone'], 'by name, any case');
  t.same(await names('search=chloé'), ['Chloé Martin']);
  t.same(await names('search=quarry'), ['Bob Stone'], 'by email');
  t.same(await names('search=.test'), ['Ann Lee', 'Bob Stone', 'Dan 100%']);
  t.same(await names(`search=${encodeURIComponent('(555) 010')}`), ['Ann Lee'], 'by phone as written');
  t.same(await names('search=5550100'), ['Ann Lee'], 'by phone digits, whatever the formatting');
  t.same(await names(`search=${encodeURIComponent('612-345')}`), ['Chloé Martin']);
  t.same(await names('search=98765432'), ['Bob Stone']);
  t.same(await names('search=%25'), ['Dan 100%'], 'a % searches for itself');
  t.same(await names('search=nobody'), []);
  t.same(await names('sort=-name'), ['Dan 100%', 'Chloé Martin', 'Bob Stone', 'Ann Lee']);
  t.same(await names('sort=createdAt'), ['Ann Lee', 'Bob Stone', 'Chloé Martin', 'Dan 100%']);
  t.same(await names('sort=-createdAt&pageSize=2'), ['Dan 100%', 'Chloé Martin']);
  const page = json<{ items: { name: string; email: string | null }[]; total: number; page: number; pageSize: number }>(
    await api.get('/customers?page=2&pageSize=3'),
  );
  t.match(page, { total: 4, page: 2, pageSize: 3 });
  t.same(page.items.map((c) => c.name), ['Dan 100%']);
  t.notOk('addresses' in page.items[0]!, 'the list leaves addresses to the customer itself');
});

t.test('bad input is a 400 problem naming the field', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const api = client(app, await registerAccount(app));
  const id = await api.create('/customers', { name: 'Ann' });
  const before = (await system.store.readAll()).length;
  const address = { kind: 'shipping', line1: '1 Main St', city: 'Springfield', country: 'US' };
  const cases: [string, Promise<LightMyRequestResponse>, string][] = [
    ['no name', api.post('/customers', {}), 'name'],
    ['blank name', api.post('/customers', { name: '   ' }), 'name'],
    ['long name', api.post('/customers', { name: 'x'.repeat(201) }), 'name'],
    ['email', api.post('/customers', { name: 'A', email: 'not-an-email' }), 'email'],
    ['phone', api.post('/customers', { name: 'A', phone: 'call me' }), 'phone'],
    ['unknown field', api.post('/customers', { name: 'A', nmae: 'B' }), '(root)'],
    ['address kind', api.post('/customers', { name: 'A', addresses: [{ ...address, kind: 'home' }] }), 'addresses.0.kind'],
    ['country', api.post('/customers', { name: 'A', addresses: [{ ...address, country: 'UK' }] }), 'addresses.0.country'],
    ['two defaults', api.post('/customers', { name: 'A', addresses: [{ ...address, isDefault: true }, { ...address, isDefault: true }] }), 'addresses'],
    ['empty change', api.patch(`/customers/${id}`, {}), '(root)'],
    ['change email', api.patch(`/customers/${id}`, { email: 'x@' }), 'email'],
    ['id not an id', api.get('/customers/123'), 'id'],
    ['page size', api.get('/customers?pageSize=101'), 'pageSize'],
    ['sort field', api.get('/customers?sort=email'), 'sort'],
    ['archived flag', api.get('/customers?archived=maybe'), 'archived'],
    ['no line1', api.post(`/customers/${id}/addresses`, { kind: 'billing', city: 'X', country: 'DE' }), 'line1'],
    ['no city', api.post(`/customers/${id}/addresses`, { ...address, city: ' ' }), 'city'],
    ['bad country', api.post(`/customers/${id}/addresses`, { ...address, country: 'Germany' }), 'country'],
    ['kind change', api.patch(`/customers/${id}/addresses/${randomUUID()}`, { kind: 'billing' }), '(root)'],
    ['address id', api.patch(`/customers/${id}/addresses/abc`, { city: 'X' }), 'addressId'],
  ];
  for (const [label, pending, field] of cases) {
    const res = await pending;
    t.equal(res.statusCode, 400, label);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.match(problem(res), { type: typeOf('validation') });
    t.ok(
      problem(res).errors?.some((e) => e.field === field),
      `${label}: names ${field} (${JSON.stringify(problem(res).errors)})`,
    );
  }
  t.equal((await system.store.readAll()).length, before, 'nothing appended');
});

t.test('everyone reads customers; the viewer cannot change them', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const owner = await registerAccount(app);
  const api = client(app, owner);
  const id = await api.create('/customers', { name: 'Ann' });
  const viewer = client(app, {
    ...owner,
    token: app.issueAccessToken({ sub: owner.userId, tid: owner.tenantId, role: 'viewer', sid: owner.userId, ev: true }),
  });
  const salesperson = client(app, {
    ...owner,
    token: app.issueAccessToken({ sub: owner.userId, tid: owner.tenantId, role: 'salesperson', sid: owner.userId, ev: true }),
  });
  const before = (await system.store.readAll()).length;
  for (const res of [
    await viewer.post('/customers', { name: 'B' }),
    await viewer.patch(`/customers/${id}`, { name: 'B' }),
    await viewer.delete(`/customers/${id}`),
    await viewer.post(`/customers/${id}/addresses`, { kind: 'billing', line1: 'x', city: 'y', country: 'FR' }),
  ]) {
    t.equal(res.statusCode, 403);
    t.equal(problem(res).type, typeOf('forbidden'));
  }
  t.equal((await system.store.readAll()).length, before);
  t.equal((await app.inject({ url: '/api/v1/customers' })).statusCode, 401);
  t.equal((await salesperson.patch(`/customers/${id}`, { name: 'Ann B' })).statusCode, 200, 'a salesperson manages customers');
});

t.test('Idempotency-Key: a repeated create creates one customer', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const headers = { ...bearer(account), 'idempotency-key': randomUUID() };
  const send = () => app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: { name: 'Ann' } });
  const first = await send();
  const before = (await system.store.readAll()).length;
  const again = await send();
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.same(json(again), json(first));
  t.equal((await system.store.readAll()).length, before);
});

t.test('the customer routes are in the OpenAPI document, If-Match included', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const doc = (await app.inject({ url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; responses?: Record<string, unknown> }>>;
  }>();
  const base = '/api/v1/customers';
  const operations = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith(base))
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method} ${path}`, op] as const));
  t.equal(operations.length, 9, 'nine customer routes');
  for (const [label, op] of operations) t.ok(Object.keys(op.responses ?? {}).some((s) => s.startsWith('4')), `${label}: its errors are documented`);
  t.ok(doc.paths[base]?.get && doc.paths[base]?.post, base);
  t.ok(doc.paths[`${base}/{id}`]?.get, `GET ${base}/{id}`);
  t.ok(doc.paths[`${base}/{id}/addresses`]?.post);
  t.ok(doc.paths[`${base}/{id}/addresses/{addressId}/default`]?.post);
  for (const [path, method] of [
    [`${base}/{id}`, 'patch'],
    [`${base}/{id}`, 'delete'],
    [`${base}/{id}/addresses/{addressId}`, 'patch'],
    [`${base}/{id}/addresses/{addressId}`, 'delete'],
  ] as const)
    t.ok(doc.paths[path]?.[method]?.parameters?.some((p) => p.in === 'header' && p.name === 'if-match'), `${method} ${path} documents If-Match`);
});
