// A process dies between two lines of a sale: the recovery sweep, on the next start,
// drives the sale to an end (completed, or given back) and the stock agrees.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { streams } from '../../src/events/streams.js';
import { comparePositions, formatPosition } from '../../src/eventstore/port.js';
import { registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';
import type { Test } from '../support/tap.js';

async function halfWaySale(t: Test, secondLineStock: number) {
  const { app, system } = await testApp(t);
  const account = await registerAccount(app);
  const api = inventoryClient(app, account);
  const shop = await api.location('Shop');
  const first = await api.product({ price: '5.00' });
  const second = await api.product({ price: '7.00' });
  await api.post(`/products/${first}/receipts`, { locationId: shop, quantity: 10 });
  if (secondLineStock) await api.post(`/products/${second}/receipts`, { locationId: shop, quantity: secondLineStock });

  // What placeSale does, up to the crash: the intent, then the first line's stock.
  const ctx = { tenantId: account.tenantId, actorId: account.userId, correlationId: randomUUID(), causationId: randomUUID(), now: new Date() };
  const saga = system.commands.saleSaga;
  const sale = await saga.start(ctx, { customerId: null, locationId: shop, lines: [{ productId: first, quantity: '4', unitPrice: null }, { productId: second, quantity: '3', unitPrice: null }] });
  const took = await saga.takeLine(ctx, sale, sale.lines[0]!);
  t.ok('lots' in took, 'the first line took its stock, then the process died');
  // Reads wait for the last event written outside HTTP on each stream involved.
  const touched = [streams.sale(account.tenantId, sale.saleId), streams.product(account.tenantId, first), streams.product(account.tenantId, second)];
  const syncTo = async () => {
    const last = await Promise.all(touched.map(async (s) => (await system.store.readStream(s, { direction: 'backwards', maxCount: 1 }))[0]?.position));
    api.waitFor(formatPosition(last.filter((p) => p !== undefined).reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b))));
  };
  await syncTo();
  t.match((await api.get(`/products/${first}`)).body, { quantity: 6 }, 'half-way: the first line is out of stock');
  t.match((await api.get(`/sales/${sale.saleId}`)).body, { status: 'pending' }, 'the read model shows it pending');
  t.equal(await system.recoverSales(), 0, 'not yet: within the grace period it may still be in flight');
  return { api, system, sale, first, second, syncTo };
}

async function recovered(t: Test, secondLineStock: number) {
  const { api, system, sale, first, second, syncTo } = await halfWaySale(t, secondLineStock);
  // The next start, after the grace period: the sweep drives it.
  const driven = await system.recoverSales(new Date(Date.now() + 60_000));
  t.equal(driven, 1, 'one sale was left half-way');
  t.equal(await system.recoverSales(new Date(Date.now() + 60_000)), 0, 'and it is not driven twice');
  await syncTo();
  return { api, sale, first, second };
}

t.test('recovered to completion when the rest can be served', async (t) => {
  const { api, sale, first, second } = await recovered(t, 5);
  t.match((await api.get(`/sales/${sale.saleId}`)).body, { status: 'completed', total: '41.00' });
  t.match((await api.get(`/products/${first}`)).body, { quantity: 6 });
  t.match((await api.get(`/products/${second}`)).body, { quantity: 2 });
});

t.test('given back when a line cannot be served', async (t) => {
  const { api, sale, first, second } = await recovered(t, 0);
  t.match((await api.get(`/sales/${sale.saleId}`)).body, { status: 'rejected' });
  t.match((await api.get(`/products/${first}`)).body, { quantity: 10 }, 'the first line gave its stock back');
  t.match((await api.get(`/products/${second}`)).body, { quantity: 0 });
});

t.test('a sale pending for longer than its products remember its steps is left for a person', async (t) => {
  const { api, system, sale, first } = await halfWaySale(t, 5);
  const eightDaysOn = new Date(Date.now() + 8 * 24 * 60 * 60 * 1000);
  t.equal(await system.recoverSales(eightDaysOn), 0, 'not driven: a repeated step could take stock twice');
  t.match((await api.get(`/sales/${sale.saleId}`)).body, { status: 'pending' });
  t.match((await api.get(`/products/${first}`)).body, { quantity: 6 }, 'its stock as the crash left it');
});

t.test('a return whose restock a crash cut short is put back in stock by the sweep', async (t) => {
  const { app, system } = await testApp(t);
  const account = await registerAccount(app);
  const api = inventoryClient(app, account);
  const shop = await api.location('Shop');
  const item = await api.product({ price: '5.00' });
  await api.post(`/products/${item}/receipts`, { locationId: shop, quantity: 10 });
  const sale = (await api.post<{ id: string }>('/sales', { locationId: shop, lines: [{ productId: item, quantity: 4 }] })).body.id;

  // What returnItems does, up to the crash: the return on the sale's stream, no restock.
  const ctx = { tenantId: account.tenantId, actorId: account.userId, correlationId: randomUUID(), causationId: randomUUID(), now: new Date() };
  const recorded = await system.commands.saleSaga.recordReturn(ctx, sale, { restock: true, locationId: null, items: [{ productId: item, quantity: '3' }] });
  api.waitFor(formatPosition(recorded.position!));
  t.match((await api.get(`/sales/${sale}`)).body, { refunded: '15.00' }, 'refunded');
  t.match((await api.get(`/products/${item}`)).body, { quantity: 6 }, 'but not back in stock');
  t.equal(await system.recoverSales(), 0, 'not within the grace period');

  t.equal(await system.recoverSales(new Date(Date.now() + 60_000)), 1, 'the return is driven');
  const [back] = await system.store.readStream(streams.product(account.tenantId, item), { direction: 'backwards', maxCount: 1 });
  t.equal(back?.type, 'StockReturned');
  api.waitFor(formatPosition(back!.position));
  t.match((await api.get(`/products/${item}`)).body, { quantity: 9 }, 'the three units are back');
  t.equal(await system.recoverSales(new Date(Date.now() + 60_000)), 0, 'and it is not driven twice');
  t.match((await api.get(`/products/${item}`)).body, { quantity: 9 });
});
