// Sales that never oversell, over real HTTP: 200 concurrent single-unit sales of a
// product holding 50 give exactly 50 sold and 150 refused, on the PostgreSQL store and
// on the EventStoreDB adapter; concurrent multi-line sales never leave part of a sale
// in stock.
import t from 'tap';
import { comparePositions, formatPosition, parsePosition, type Position } from '../../src/eventstore/port.js';
import { startEsdbDouble } from '../support/esdb-double/server.js';
import { registerAccount, testApp, type Account } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';
import type { Test } from '../support/tap.js';

/** The latest of the positions the sales answered with: reads then see every one of them. */
function latest(positions: (string | null)[]): string {
  const parsed = positions.map((p) => (p ? parsePosition(p) : null)).filter((p): p is Position => p !== null);
  return formatPosition(parsed.reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b)));
}

async function shop(t: Test, eventStoreUrl?: string) {
  const { app } = await testApp(t, eventStoreUrl ? { eventStoreUrl } : {});
  const account = await registerAccount(app);
  const api = inventoryClient(app, account);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const sell = (body: unknown) =>
    fetch(`${baseUrl}/api/v1/sales`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.token}` },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id?: string; saleId?: string }, position: r.headers.get('x-log-position') }));
  return { api, sell, account: account as Account };
}

for (const store of ['postgres', 'eventstoredb'] as const) {
  t.test(`200 concurrent sales of 50 units (${store} store)`, async (t) => {
    let url: string | undefined;
    if (store === 'eventstoredb') {
      const double = await startEsdbDouble();
      t.teardown(() => double.stop());
      url = double.url;
    }
    const { api, sell } = await shop(t, url);
    const location = await api.location('Shop');
    const product = await api.product({ price: '3.00' });
    await api.post(`/products/${product}/receipts`, { locationId: location, quantity: 50 });

    const results = await Promise.all(Array.from({ length: 200 }, () => sell({ locationId: location, lines: [{ productId: product, quantity: 1 }] })));
    api.waitFor(latest(results.map((r) => r.position)));
    const count = (status: number) => results.filter((r) => r.status === status).length;
    t.equal(count(201), 50, '50 sold');
    t.equal(count(409), 150, '150 refused');
    const stock = (await api.get<{ quantity: number }>(`/products/${product}`)).body;
    t.equal(stock.quantity, 0, 'nothing left, nothing negative');
    const sales = (await api.get<{ total: number }>('/sales?status=completed&pageSize=1')).body;
    t.equal(sales.total, 50, 'and exactly 50 completed sales');
  });
}

t.test('concurrent multi-line sales sharing products never leave part of a sale in stock', async (t) => {
  const { api, sell } = await shop(t);
  const location = await api.location('Shop');
  const products = [await api.product(), await api.product(), await api.product()];
  const initial = [30, 20, 10];
  for (const [i, p] of products.entries()) await api.post(`/products/${p}/receipts`, { locationId: location, quantity: initial[i] });
  const orders = Array.from({ length: 60 }, (_, i) => [
    { productId: products[i % 3]!, quantity: 1 + (i % 2) },
    { productId: products[(i + 1) % 3]!, quantity: 1 },
  ]);
  const results = await Promise.all(orders.map((lines) => sell({ locationId: location, lines })));
  api.waitFor(latest(results.map((r) => r.position)));
  const sold = [0, 0, 0];
  results.forEach((r, i) => {
    if (r.status === 201) for (const l of orders[i]!) sold[products.indexOf(l.productId)]! += l.quantity;
  });
  t.ok(results.every((r) => r.status === 201 || r.status === 409), 'each sale either completed or was refused');
  t.ok(results.some((r) => r.status === 409) && results.some((r) => r.status === 201), 'some of each');
  for (const [i, p] of products.entries()) {
    const { quantity } = (await api.get<{ quantity: number }>(`/products/${p}`)).body;
    t.equal(quantity, initial[i]! - sold[i]!, `product ${i}: stock is what the completed sales left`);
    t.ok(quantity >= 0);
  }
});
