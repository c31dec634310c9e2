// Alerts and the dashboard on a known catalogue: every figure checked by hand.
import t from 'tap';
import { addDays, todayIn } from '../../src/queries/calendar.js';
import { registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';

t.test('a known catalogue gives known figures', async (t) => {
  const { app } = await testApp(t);
  const account = await registerAccount(app);
  const api = inventoryClient(app, account);
  const tools = (await api.post<{ id: string }>('/categories', { name: 'Tools' })).body.id;
  const food = (await api.post<{ id: string }>('/categories', { name: 'Food' })).body.id;
  const soon = addDays(todayIn('UTC'), 10);

  const hammer = await api.product({ sku: 'HAM', name: 'Hammer', categoryId: tools, minThreshold: 5 });
  await api.post(`/products/${hammer}/receipts`, { quantity: 10, unitCost: '3.00' }); // 30.00
  const nails = await api.product({ sku: 'NAI', name: 'Nails', categoryId: tools, minThreshold: 100 });
  await api.post(`/products/${nails}/receipts`, { quantity: 50, unitCost: '0.10' }); // 5.00, low
  const milk = await api.product({ sku: 'MLK', name: 'Milk', categoryId: food, tracksExpiry: true });
  await api.post(`/products/${milk}/receipts`, { quantity: 4, unitCost: '1.50', lot: 'A', expiresOn: '2020-01-01' }); // 6.00, expired
  await api.post(`/products/${milk}/receipts`, { quantity: 6, unitCost: '2.00', lot: 'B', expiresOn: soon }); // 12.00; average 1.80
  const loose = await api.product({ sku: 'LOO', name: 'Loose' });
  await api.post(`/products/${loose}/receipts`, { quantity: 2, unitCost: '5.00' }); // 10.00
  const gone = await api.product({ sku: 'OLD', name: 'Discontinued' });
  await api.delete(`/products/${gone}`);
  const main = (await api.get<{ lines: { locationId: string }[] }>(`/products/${hammer}/stock`)).body.lines[0]!.locationId;
  await api.put(`/products/${hammer}/thresholds/${main}`, { minThreshold: 20 });

  const dashboard = await api.get('/dashboard');
  t.equal(dashboard.status, 200);
  t.same(dashboard.body, {
    counts: { totalProducts: 4, totalCategories: 2, lowStock: 1, expiredProducts: 1 },
    stock: { totalStock: 72 },
    financial: { totalInventoryValue: '63.00', expiredInventoryValue: '7.20', realInventoryValue: '55.80' },
    analytics: [
      { category: 'Tools', totalValue: '35.00' },
      { category: 'Food', totalValue: '18.00' },
      { category: 'Uncategorized', totalValue: '10.00' },
    ],
    sales: {
      today: { count: 0, revenue: '0.00', grossMargin: '0.00' },
      last30Days: { count: 0, revenue: '0.00', grossMargin: '0.00' },
      topProducts: [],
    },
  });

  const alerts = await api.get<{
    lowStock: { sku: string; locationId: string | null; quantity: number; minThreshold: number }[];
    expired: { sku: string; lot: string; quantity: number; value: string }[];
    expiringSoon: { sku: string; lot: string; expiresOn: string }[];
  }>('/alerts');
  t.equal(alerts.status, 200);
  t.same(
    alerts.body.lowStock.map((a) => [a.sku, a.locationId, a.quantity, a.minThreshold]),
    [
      ['NAI', null, 50, 100],
      ['HAM', main, 10, 20],
    ],
    'the product total, and a location under its own threshold',
  );
  t.match(alerts.body.expired, [{ sku: 'MLK', lot: 'A', quantity: 4, value: '7.20', expiresOn: '2020-01-01' }]);
  t.equal(alerts.body.expired.length, 1);
  t.match(alerts.body.expiringSoon, [{ sku: 'MLK', lot: 'B', expiresOn: soon }]);
  t.equal(alerts.body.expiringSoon.length, 1);

  // Moving a product to another category moves its value with it.
  await api.patch(`/products/${loose}`, { categoryId: food });
  t.same((await api.get<{ analytics: unknown }>('/dashboard')).body.analytics, [
    { category: 'Tools', totalValue: '35.00' },
    { category: 'Food', totalValue: '28.00' },
  ]);
});

t.test("expiry follows the company's timezone and warning days; new products take its threshold", async (t) => {
  const { app } = await testApp(t);
  const api = inventoryClient(app, await registerAccount(app));
  const settings = (timezone: string, expiryWarningDays: number) =>
    api.put('/settings', { currency: 'EUR', timezone, lowStockThreshold: 4, expiryWarningDays, alertEmails: false });
  // Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: always on different dates.
  const lastDay = todayIn('Pacific/Kiritimati');
  t.equal((await settings('Pacific/Pago_Pago', 30)).status, 200);
  const yoghurt = await api.product({ sku: 'YOG', name: 'Yoghurt', tracksExpiry: true, minThreshold: undefined });
  await api.post(`/products/${yoghurt}/receipts`, { quantity: 2, lot: 'Y1', expiresOn: lastDay });
  type Alerts = { expired: unknown[]; expiringSoon: unknown[]; lowStock: { sku: string; minThreshold: number }[] };

  let alerts = (await api.get<Alerts>('/alerts')).body;
  t.equal(alerts.expired.length, 0, 'in Pago Pago that date is still ahead');
  t.equal(alerts.expiringSoon.length, 1);
  t.match(alerts.lowStock, [{ sku: 'YOG', minThreshold: 4 }], "the product took the company's low-stock threshold");

  await settings('Pacific/Kiritimati', 30);
  alerts = (await api.get<Alerts>('/alerts')).body;
  t.equal(alerts.expired.length, 1, 'in Kiritimati it is today: expired');
  t.match((await api.get(`/products/${yoghurt}`)).body, { isExpired: true });

  await settings('Pacific/Pago_Pago', 0);
  alerts = (await api.get<Alerts>('/alerts')).body;
  t.equal(alerts.expiringSoon.length, 0, 'no warning window, no warning');
});
