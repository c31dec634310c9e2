// The product catalog over HTTP: optimistic concurrency, SKUs freed and re-claimed,
// archiving, and every list filter.
import t from 'tap';
import { registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';

type Page = { items: { id: string; sku: string; name: string }[]; total: number };

t.test('PATCH honours If-Match; every change is its own event', async (t) => {
  const { app } = await testApp(t);
  const api = inventoryClient(app, await registerAccount(app));
  const id = await api.product({ sku: 'A-1', name: 'Anvil', price: '30.00' });
  const read = await api.get(`/products/${id}`);
  t.equal(read.headers.etag, '"0"');

  const stale = await api.patch(`/products/${id}`, { price: '35.00' }, { 'if-match': '"7"' });
  t.equal(stale.status, 412);
  t.equal((stale.body as { type: string }).type, 'https://stockbook.dev/problems/precondition-failed');

  const changed = await api.patch(`/products/${id}`, { price: '35.00', name: 'Big anvil', barcode: '4006381333931' }, { 'if-match': '"0"' });
  t.equal(changed.status, 200);
  t.equal(changed.headers.etag, '"3"', 'three changes, three events');
  t.match((await api.get(`/products/${id}`)).body, { name: 'Big anvil', price: '35.00', barcode: '4006381333931' });
  const types = (await api.get<{ items: { type: string }[] }>(`/products/${id}/history`)).body.items.map((e) => e.type);
  t.same(types.slice(0, 3).sort(), ['ProductBarcodeChanged', 'ProductPriceChanged', 'ProductRenamed']);

  const nothing = await api.patch(`/products/${id}`, { price: '35' });
  t.equal(nothing.status, 200, 'no change is not an error');
  t.equal(nothing.headers.etag, '"3"', 'and appends nothing');
  t.equal((await api.patch(`/products/${id}`, { colour: 'red' })).status, 400, 'unknown fields are refused');
});

t.test('a SKU is freed by renaming or archiving, and can be claimed again', async (t) => {
  const { app } = await testApp(t);
  const api = inventoryClient(app, await registerAccount(app));
  const first = await api.product({ sku: 'OLD-1' });
  const second = await api.product({ sku: 'TAKEN-1' });
  t.equal((await api.patch(`/products/${first}`, { sku: 'TAKEN-1' })).status, 409, 'a SKU in use cannot be taken');
  t.equal((await api.patch(`/products/${first}`, { sku: 'NEW-1' })).status, 200);
  t.equal((await api.post('/products', { sku: 'old-1', name: 'Reuse', price: '1' })).status, 201, 'the old SKU is free again');

  await api.post(`/products/${second}/receipts`, { quantity: 2 });
  const withStock = await api.delete(`/products/${second}`);
  t.equal(withStock.status, 409, 'a product holding stock is not archived');
  t.match(withStock.body, { quantity: 2 });
  const main = ((await api.get<{ lines: { locationId: string }[] }>(`/products/${second}/stock`)).body.lines[0]!).locationId;
  await api.post(`/products/${second}/adjustments`, { locationId: main, quantityDelta: -2, reason: 'correction' });
  t.equal((await api.delete(`/products/${second}`)).status, 204, 'archived once empty');
  t.equal((await api.delete(`/products/${second}`)).status, 204, 'archiving twice is a no-op');
  t.equal((await api.post(`/products/${second}/receipts`, { quantity: 1 })).status, 409, 'an archived product takes no stock');
  t.equal((await api.post('/products', { sku: 'TAKEN-1', name: 'Successor', price: '1' })).status, 201, 'its SKU is free');

  const archived = (await api.get<Page>('/products?archived=true')).body;
  t.same(archived.items.map((p) => p.id), [second], 'archived products are listed on request');
  t.ok((await api.get<{ total: number }>(`/products/${second}/history`)).body.total > 0, 'history is kept');
});

t.test('list filters: category, location subtree, low stock, expired, search by barcode', async (t) => {
  const { app } = await testApp(t);
  const api = inventoryClient(app, await registerAccount(app));
  const tools = (await api.post<{ id: string }>('/categories', { name: 'Tools' })).body.id;
  const warehouse = await api.location('Warehouse');
  const aisle = await api.location('Aisle 1', warehouse);
  const hammer = await api.product({ sku: 'H-1', name: 'Hammer', categoryId: tools, minThreshold: 5, barcode: '111222' });
  const milk = await api.product({ sku: 'M-1', name: 'Milk', tracksExpiry: true });
  const nails = await api.product({ sku: 'N-1', name: 'Nails', categoryId: tools });
  await api.post(`/products/${hammer}/receipts`, { locationId: aisle, quantity: 2 });
  await api.post(`/products/${milk}/receipts`, { quantity: 3, lot: 'B1', expiresOn: '2020-01-01' });
  await api.post(`/products/${nails}/receipts`, { quantity: 100 });

  const ids = async (query: string) => (await api.get<Page>(`/products?${query}&sort=sku`)).body.items.map((p) => p.id);
  t.same(await ids(`categoryId=${tools}`), [hammer, nails], 'by category');
  t.same(await ids(`locationId=${warehouse}`), [hammer], 'stock in a child location counts for its parent');
  t.same(await ids('lowStock=true'), [hammer], 'low stock: quantity at or below the threshold');
  t.same(await ids('expired=true'), [milk], 'expired: stock expiring on or before today');
  t.same(await ids('expired=false'), [hammer, nails]);
  t.same(await ids('search=111222'), [hammer], 'search by barcode');
  t.match((await api.get(`/products/${milk}`)).body, { isExpired: true });
  t.equal((await api.get(`/products?categoryId=nope`)).status, 400);
});
