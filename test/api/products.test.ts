import { randomUUID } from 'node:crypto';
import t from 'tap';
import { bearer, createProduct, problem, registerAccount, testApp } from '../support/app.js';

t.test('create, receive, and read your write', async (t) => {
  const { app } = await testApp(t);
  const account = await registerAccount(app);
  const { id, position: createdAt } = await createProduct(app, account, { sku: 'w-1', name: 'Widget', price: '9.99', cost: '4.50', minThreshold: 5 });

  const fresh = await app.inject({ url: `/api/v1/products/${id}`, headers: bearer(account, createdAt) });
  t.equal(fresh.statusCode, 200);
  t.match(fresh.json(), { id, sku: 'w-1', price: '9.99', cost: '4.50', quantity: 0, value: '0.00', isLowStock: true, minThreshold: 5 });
  t.equal(fresh.headers.etag, '"0"', 'ETag is the stream revision');

  const receipt = await app.inject({
    method: 'POST',
    url: `/api/v1/products/${id}/receipts`,
    headers: bearer(account),
    payload: { quantity: 12.5, unitCost: '3.10' },
  });
  t.equal(receipt.statusCode, 201);
  const position = receipt.headers['x-log-position'] as string;
  t.match(position, /^\d+\.\d+$/);

  const list = await app.inject({ url: '/api/v1/products', headers: bearer(account, position) });
  t.equal(list.statusCode, 200);
  t.match(list.json(), { total: 1, page: 1, pageSize: 10, items: [{ id, quantity: 12.5, value: '38.75', isLowStock: false }] });
  const one = await app.inject({ url: `/api/v1/products/${id}`, headers: bearer(account, position) });
  t.equal(one.headers.etag, '"1"');
});

t.test('a receipt without a location goes to the default location; quantities stay exact', async (t) => {
  const { app } = await testApp(t);
  const account = await registerAccount(app);
  const { id } = await createProduct(app, account, { cost: '0.10' });
  let position = '';
  for (const quantity of [0.1, 0.2]) {
    const res = await app.inject({ method: 'POST', url: `/api/v1/products/${id}/receipts`, headers: bearer(account), payload: { quantity } });
    t.equal(res.statusCode, 201);
    position = res.headers['x-log-position'] as string;
  }
  const one = await app.inject({ url: `/api/v1/products/${id}`, headers: bearer(account, position) });
  t.match(one.json(), { quantity: 0.3, value: '0.03' });
});

t.test('list: search, sort, pages', async (t) => {
  const { app } = await testApp(t);
  const account = await registerAccount(app);
  let last = '';
  for (const [sku, name, price] of [['A-1', 'Anvil', '30'], ['B-2', 'Bolt', '0.50'], ['C-3', 'Crate', '12'], ['D-4', 'Bucket', '7']] as const)
    last = (await createProduct(app, account, { sku, name, price })).position;
  const get = (query: string) => app.inject({ url: `/api/v1/products?${query}`, headers: bearer(account, last) });

  const byPrice = (await get('sort=-price')).json<{ items: { sku: string }[] }>();
  t.same(byPrice.items.map((p) => p.sku), ['A-1', 'C-3', 'D-4', 'B-2'], 'sorted by price, descending');
  const search = (await get('search=bu&sort=name')).json<{ items: { name: string }[]; total: number }>();
  t.same(search.items.map((p) => p.name), ['Bucket'], 'search by name');
  t.same((await get('search=c-3')).json<{ items: { sku: string }[] }>().items.map((p) => p.sku), ['C-3'], 'search by SKU');
  const page2 = (await get('sort=sku&page=2&pageSize=3')).json<{ items: { sku: string }[]; total: number; page: number }>();
  t.same(page2.items.map((p) => p.sku), ['D-4']);
  t.equal(page2.total, 4);

  const tooBig = await get('pageSize=101');
  t.equal(tooBig.statusCode, 400);
  t.equal(problem(tooBig).errors?.[0]?.field, 'pageSize');
  const badSort = await get('sort=colour');
  t.equal(badSort.statusCode, 400);
  t.match(JSON.stringify(problem(badSort).errors), /unknown sort field/);
});

t.test('SKUs are unique per tenant, not across tenants', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const acme = await registerAccount(app);
  const other = await registerAccount(app);
  await createProduct(app, acme, { sku: 'SAME-1' });
  const before = (await system.store.readAll()).length;
  const dup = await app.inject({ method: 'POST', url: '/api/v1/products', headers: bearer(acme), payload: { sku: 'same-1', name: 'Again', price: '1' } });
  t.equal(dup.statusCode, 409, 'SKUs compare case-insensitively');
  t.equal(problem(dup).type, 'https://stockbook.dev/problems/sku-taken');
  t.equal((await system.store.readAll()).length, before, 'the rejected product appended nothing');
  await createProduct(app, other, { sku: 'SAME-1' });
});

t.test("another tenant's product is a 404, for reads and for commands", async (t) => {
  const { app, system } = await testApp(t);
  const acme = await registerAccount(app);
  const intruder = await registerAccount(app);
  const { id, position } = await createProduct(app, acme);
  t.equal((await app.inject({ url: `/api/v1/products/${id}`, headers: bearer(acme, position) })).statusCode, 200);

  const before = (await system.store.readAll()).length;
  const read = await app.inject({ url: `/api/v1/products/${id}`, headers: bearer(intruder, position) });
  t.equal(read.statusCode, 404);
  const list = await app.inject({ url: '/api/v1/products', headers: bearer(intruder, position) });
  t.equal(list.json<{ total: number }>().total, 0, 'not in their list');
  const receive = await app.inject({ method: 'POST', url: `/api/v1/products/${id}/receipts`, headers: bearer(intruder), payload: { quantity: 5 } });
  t.equal(receive.statusCode, 404);
  t.equal((await system.store.readAll()).length, before, 'nothing appended');
});

t.test('receipts: unknown product, unknown location, bad quantities', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const { id } = await createProduct(app, account);
  const before = (await system.store.readAll()).length;
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: bearer(account), payload: payload as object });

  t.equal((await post(`/api/v1/products/${randomUUID()}/receipts`, { quantity: 1 })).statusCode, 404);
  const nowhere = await post(`/api/v1/products/${id}/receipts`, { quantity: 1, locationId: randomUUID() });
  t.equal(nowhere.statusCode, 422);
  t.equal(problem(nowhere).type, 'https://stockbook.dev/problems/unknown-location');
  for (const quantity of [0, -2, 1.2345, 'ten']) {
    const res = await post(`/api/v1/products/${id}/receipts`, { quantity });
    t.equal(res.statusCode, 400, `quantity ${quantity} is rejected`);
    t.equal(problem(res).errors?.[0]?.field, 'quantity');
  }
  t.equal((await system.store.readAll()).length, before, 'no rejected receipt appended anything');
});
