// Sales are tenant-scoped (another tenant's ids are 404 and append nothing) and follow
// the permission matrix: a salesperson sells, a manager and up voids, a viewer reads.
import t from 'tap';
import { registerAccount, testApp } from '../support/app.js';
import { identityEnv } from '../support/identity.js';
import { inventoryClient } from '../support/inventory.js';

t.test("another tenant's sales, products and locations are not found", async (t) => {
  const { app, system } = await testApp(t);
  const ownerAccount = await registerAccount(app, 'Owner Ltd');
  const owner = inventoryClient(app, ownerAccount);
  const intruder = inventoryClient(app, await registerAccount(app, 'Intruder Ltd'));
  const shop = await owner.location('Shop');
  const product = await owner.product();
  await owner.post(`/products/${product}/receipts`, { locationId: shop, quantity: 5 });
  const sale = (await owner.post<{ id: string }>('/sales', { locationId: shop, lines: [{ productId: product, quantity: 1 }] })).body.id;
  const theirShop = await intruder.location('Theirs');
  const ownerEvents = async () => (await system.store.readAll({ filter: { streamPrefixes: [`${ownerAccount.tenantId}:`] } })).length;
  const before = await ownerEvents();

  t.equal((await intruder.get(`/sales/${sale}`)).status, 404);
  t.equal((await intruder.post(`/sales/${sale}/returns`, { lines: [{ productId: product, quantity: 1 }], restock: true })).status, 404);
  t.equal((await intruder.post(`/sales/${sale}/void`, {})).status, 404);
  t.equal((await intruder.post('/sales', { locationId: theirShop, lines: [{ productId: product, quantity: 1 }] })).status, 404, "another tenant's product");
  t.equal((await intruder.post('/sales', { locationId: shop, lines: [{ productId: product, quantity: 1 }] })).status, 422, "another tenant's location");
  t.equal((await intruder.get<{ total: number }>('/sales')).body.total, 0);
  t.equal(await ownerEvents(), before, "nothing landed in the owner's streams");
});

t.test('who may sell, return and void', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const as = (token: string) => (method: string, path: string, body?: unknown) => owner.client.request(method, `/api/v1${path}`, { token, ...(body ? { body } : {}) });
  const boss = as(owner.token);
  const shop = ((await boss('POST', '/locations', { name: 'Shop' })).body as { id: string }).id;
  const product = ((await boss('POST', '/products', { sku: 'S-1', name: 'Thing', price: '2.00' })).body as { id: string }).id;
  await boss('POST', `/products/${product}/receipts`, { locationId: shop, quantity: 10 });
  const sell = { locationId: shop, lines: [{ productId: product, quantity: 1 }] };

  const seller = as((await env.addMember(owner, 'salesperson')).token);
  const sold = await seller('POST', '/sales', sell);
  t.equal(sold.status, 201, 'a salesperson sells');
  const saleId = (sold.body as { id: string }).id;
  t.equal((await seller('POST', `/sales/${saleId}/returns`, { lines: [{ productId: product, quantity: 1 }], restock: true })).status, 201, 'and takes returns');
  const refused = await seller('POST', `/sales/${saleId}/void`);
  t.equal(refused.status, 403, 'but does not void');
  t.match(refused.body, { permission: 'sales:void' });

  const viewer = as((await env.addMember(owner, 'viewer')).token);
  t.equal((await viewer('GET', `/sales/${saleId}`)).status, 200, 'a viewer reads sales');
  t.equal((await viewer('POST', '/sales', sell)).status, 403, 'but does not sell');

  const manager = as((await env.addMember(owner, 'manager')).token);
  const second = ((await manager('POST', '/sales', sell)).body as { id: string }).id;
  t.equal((await manager('POST', `/sales/${second}/void`)).status, 200, 'a manager voids');
});
