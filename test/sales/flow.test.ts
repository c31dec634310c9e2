// Sell -> return -> void over HTTP, with stock, totals, margins and the dashboard.
import t from 'tap';
import { registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';

type Sale = { status: string; total: string; revenue: string; cost: string; grossMargin: string; refunded: string; lines: { quantity: number; returned: number; cost: string }[] };

t.test('sell, return with restock, return as write-off, void', async (t) => {
  const { app } = await testApp(t);
  const api = inventoryClient(app, await registerAccount(app));
  const shop = await api.location('Shop');
  const hammer = await api.product({ sku: 'HAM', name: 'Hammer', price: '25.00' });
  const nails = await api.product({ sku: 'NAI', name: 'Nails', price: '0.10' });
  await api.post(`/products/${hammer}/receipts`, { locationId: shop, quantity: 10, unitCost: '10.00' });
  await api.post(`/products/${nails}/receipts`, { locationId: shop, quantity: 1000, unitCost: '0.02' });

  const sold = await api.post<{ id: string; status: string }>('/sales', {
    locationId: shop,
    lines: [
      { productId: hammer, quantity: 3 },
      { productId: nails, quantity: 200, unitPrice: '0.08' },
    ],
  });
  t.equal(sold.status, 201);
  t.equal(sold.body.status, 'completed');
  const id = sold.body.id;
  let sale = (await api.get<Sale>(`/sales/${id}`)).body;
  t.match(sale, { status: 'completed', total: '91.00', revenue: '91.00', cost: '34.00', grossMargin: '57.00' }, '3 × 25 + 200 × 0.08; cost 3 × 10 + 200 × 0.02');
  t.match((await api.get(`/products/${hammer}`)).body, { quantity: 7, value: '70.00' });

  // One hammer back on the shelf, one written off.
  t.equal((await api.post(`/sales/${id}/returns`, { lines: [{ productId: hammer, quantity: 1 }], restock: true })).status, 201);
  t.equal((await api.post(`/sales/${id}/returns`, { lines: [{ productId: hammer, quantity: 1 }], restock: false })).status, 201);
  const tooMany = await api.post(`/sales/${id}/returns`, { lines: [{ productId: hammer, quantity: 2 }], restock: true });
  t.equal(tooMany.status, 422, 'not more than was sold and not yet returned');
  t.match(tooMany.body, { returnable: 1 });
  t.match((await api.get(`/products/${hammer}`)).body, { quantity: 8, value: '80.00' }, 'only the restocked one came back');
  sale = (await api.get<Sale>(`/sales/${id}`)).body;
  t.match(sale, { refunded: '50.00', revenue: '41.00', cost: '14.00', grossMargin: '27.00' });

  // The void gives back everything not yet returned.
  t.equal((await api.post(`/sales/${id}/void`, {})).status, 200);
  t.equal((await api.post(`/sales/${id}/void`, {})).status, 200, 'voiding twice changes nothing');
  sale = (await api.get<Sale>(`/sales/${id}`)).body;
  t.match(sale, { status: 'voided', revenue: '0.00', grossMargin: '0.00' });
  t.match((await api.get(`/products/${hammer}`)).body, { quantity: 9 }, 'the written-off hammer stays gone');
  t.match((await api.get(`/products/${nails}`)).body, { quantity: 1000, value: '20.00' });
  t.equal((await api.post(`/sales/${id}/returns`, { lines: [{ productId: nails, quantity: 1 }], restock: true })).status, 409, 'a voided sale takes no returns');

  const list = (await api.get<{ items: { id: string }[]; total: number }>(`/sales?productId=${nails}&status=voided`)).body;
  t.same(list.items.map((s) => s.id), [id]);
  const history = (await api.get<{ items: { type: string }[] }>(`/products/${hammer}/history`)).body.items.map((e) => e.type);
  t.same(history.slice(0, 3), ['StockReturned', 'StockReturned', 'StockSold']);
});

t.test('a sale short on one line takes nothing, and names each short line', async (t) => {
  const { app } = await testApp(t);
  const api = inventoryClient(app, await registerAccount(app));
  const shop = await api.location('Shop');
  const a = await api.product({ sku: 'A', price: '1.00' });
  const b = await api.product({ sku: 'B', price: '1.00' });
  const c = await api.product({ sku: 'C', price: '1.00' });
  await api.post(`/products/${a}/receipts`, { locationId: shop, quantity: 5 });
  await api.post(`/products/${b}/receipts`, { locationId: shop, quantity: 1 });
  const refused = await api.post<{ saleId: string; shortLines: unknown[] }>('/sales', {
    locationId: shop,
    lines: [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 3 },
      { productId: c, quantity: 1 },
    ],
  });
  t.equal(refused.status, 409);
  t.same(refused.body.shortLines, [
    { line: 1, productId: b, requested: 3, available: 1 },
    { line: 2, productId: c, requested: 1, available: 0 },
  ]);
  t.match((await api.get(`/products/${a}`)).body, { quantity: 5 }, "the line that could be served gave its stock back");
  t.match((await api.get(`/sales/${refused.body.saleId}`)).body, { status: 'rejected' });
  t.equal((await api.post('/sales', { locationId: shop, lines: [] })).status, 400);
  t.equal((await api.post('/sales', { locationId: shop, lines: [{ productId: a, quantity: 0 }] })).status, 400);
  t.equal((await api.post('/sales', { locationId: shop, customerId: shop, lines: [{ productId: a, quantity: 1 }] })).status, 422, 'an unknown customer');
});

t.test('the dashboard counts sales, revenue and margin, net of returns', async (t) => {
  const { app } = await testApp(t);
  const api = inventoryClient(app, await registerAccount(app));
  const shop = await api.location('Shop');
  const p = await api.product({ sku: 'P', name: 'Pen', price: '2.00' });
  await api.post(`/products/${p}/receipts`, { locationId: shop, quantity: 100, unitCost: '0.50' });
  const first = await api.post<{ id: string }>('/sales', { locationId: shop, lines: [{ productId: p, quantity: 10 }] });
  await api.post('/sales', { locationId: shop, lines: [{ productId: p, quantity: 5 }] });
  await api.post(`/sales/${first.body.id}/returns`, { lines: [{ productId: p, quantity: 2 }], restock: true });
  const dashboard = (await api.get<{ sales: unknown }>('/dashboard')).body.sales;
  const figures = { count: 2, revenue: '26.00', grossMargin: '19.50' };
  t.same(dashboard, { today: figures, last30Days: figures, topProducts: [{ productId: p, name: 'Pen', quantity: 13, revenue: '26.00' }] });
});
