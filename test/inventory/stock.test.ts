// Stock movements over HTTP: receipts with lots, adjustments first-expiring-first-out,
// transfers (immediate and two-step), counts, and what the read models then show.
import t from 'tap';
import { registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';

type Stock = { averageCost: string; lines: { locationId: string; lot: string | null; expiresOn: string | null; quantity: number; value: string }[] };
type Product = { quantity: number; inTransit: number; value: string; averageCost: string; isLowStock: boolean; isExpired: boolean };

t.test('receive, adjust, transfer, count: stock and value per location and lot', async (t) => {
  const { app } = await testApp(t);
  const account = await registerAccount(app);
  const api = inventoryClient(app, account);
  const shelf = await api.location('Shelf');
  const backroom = await api.location('Backroom');
  const id = await api.product({ cost: '2.00', minThreshold: 3, tracksExpiry: true });

  t.equal((await api.post(`/products/${id}/receipts`, { locationId: shelf, quantity: 4, unitCost: '2.00', lot: 'LATE', expiresOn: '2030-06-01' })).status, 201);
  t.equal((await api.post(`/products/${id}/receipts`, { locationId: shelf, quantity: 4, unitCost: '4.00', lot: 'SOON', expiresOn: '2030-01-01' })).status, 201);
  const noExpiry = await api.post(`/products/${id}/receipts`, { locationId: shelf, quantity: 1 });
  t.equal(noExpiry.status, 422, 'an expiry-tracked product needs expiresOn');

  let product = (await api.get<Product>(`/products/${id}`)).body;
  t.match(product, { quantity: 8, value: '24.00', averageCost: '3', isLowStock: false });

  // Writing off 5 takes the soonest-expiring lot first, valued at the average cost (3).
  const writeOff = await api.post(`/products/${id}/adjustments`, { locationId: shelf, quantityDelta: -5, reason: 'damaged' });
  t.equal(writeOff.status, 201);
  let stock = (await api.get<Stock>(`/products/${id}/stock`)).body;
  t.same(stock.lines.map((l) => [l.lot, l.quantity, l.value]), [['LATE', 3, '9.00']], 'SOON is gone, 1 left from LATE taken');
  product = (await api.get<Product>(`/products/${id}`)).body;
  t.match(product, { quantity: 3, value: '9.00', isLowStock: true });

  // Never below zero: a 409 naming what is available, and nothing appended.
  const history = (await api.get<{ total: number }>(`/products/${id}/history`)).body.total;
  const tooMuch = await api.post(`/products/${id}/adjustments`, { locationId: shelf, quantityDelta: -4, reason: 'lost' });
  t.equal(tooMuch.status, 409);
  t.match(tooMuch.body, { type: 'https://stockbook.dev/problems/insufficient-stock', available: 3, locationId: shelf });
  t.equal((await api.get<{ total: number }>(`/products/${id}/history`)).body.total, history, 'the rejected adjustment appended nothing');

  // Immediate transfer of 1, then a two-step transfer of 2 received in two parts.
  t.equal((await api.post(`/products/${id}/transfers`, { fromLocationId: shelf, toLocationId: backroom, quantity: 1 })).status, 201);
  const shipped = await api.post<{ transferId: string }>(`/products/${id}/transfers`, { fromLocationId: shelf, toLocationId: backroom, quantity: 2, mode: 'ship' });
  t.equal(shipped.status, 201);
  product = (await api.get<Product>(`/products/${id}`)).body;
  t.match(product, { quantity: 1, inTransit: 2, value: '9.00' }, 'in transit: off the shelves, still owned and valued');
  const transfer = `/products/${id}/transfers/${shipped.body.transferId}/receipts`;
  t.equal((await api.post(transfer, { quantity: 1.5 })).status, 201);
  t.equal((await api.post(transfer, { quantity: 1 })).status, 422, 'not more than what is still on the way');
  t.equal((await api.post(transfer, {})).status, 201, 'the rest');
  t.equal((await api.post(transfer, {})).status, 404, 'nothing left in transit');
  stock = (await api.get<Stock>(`/products/${id}/stock`)).body;
  t.same(
    stock.lines.map((l) => [l.locationId, l.lot, l.quantity]).sort(),
    [[backroom, 'LATE', 3]].sort(),
    'everything moved to the backroom; the shelf is empty',
  );

  // A count finds 2.5 in the backroom: the variance is its own event, valued at cost.
  t.equal((await api.post(`/products/${id}/counts`, { locationId: backroom, countedQuantity: 2.5, lot: 'LATE' })).status, 201);
  product = (await api.get<Product>(`/products/${id}`)).body;
  t.match(product, { quantity: 2.5, inTransit: 0, value: '7.50' });

  const entries = (await api.get<{ items: { type: string; reason: string | null; resultingQuantity: number; actorId: string }[] }>(`/products/${id}/history`)).body.items;
  t.same(
    entries.map((e) => [e.type, e.resultingQuantity]),
    [
      ['StockCountVarianceRecorded', 2.5],
      ['StockCounted', 3],
      ['TransferReceived', 3],
      ['TransferReceived', 2.5],
      ['TransferShipped', 1],
      ['StockTransferred', 3],
      ['StockAdjusted', 3],
      ['StockReceived', 8],
      ['StockReceived', 4],
      ['ProductCreated', 0],
    ],
    'newest first, with the quantity each left',
  );
  t.equal(entries[0]!.reason, 'count');
  t.equal(entries[6]!.reason, 'damaged');
  t.ok(entries.every((e) => e.actorId === account.userId), 'every entry names its actor');
});

t.test('a location that does not exist, or is the same on both ends, is refused', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const api = inventoryClient(app, account);
  const id = await api.product();
  await api.post(`/products/${id}/receipts`, { quantity: 5 });
  const nowhere = '00000000-0000-4000-8000-000000000000';
  t.equal((await api.post(`/products/${id}/adjustments`, { locationId: nowhere, quantityDelta: 1, reason: 'found' })).status, 422);
  const me = (await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${account.token}` } })).json<{ tenant: { defaultLocationId: string } }>();
  const main = me.tenant?.defaultLocationId;
  if (main) {
    const same = await api.post(`/products/${id}/transfers`, { fromLocationId: main, toLocationId: main, quantity: 1 });
    t.equal(same.status, 422);
  }
  t.equal((await api.post(`/products/${id}/adjustments`, { locationId: nowhere, quantityDelta: 0, reason: 'found' })).status, 400, 'a zero adjustment');
  t.equal((await api.post(`/products/${id}/adjustments`, { locationId: nowhere, quantityDelta: -1, reason: 'because' })).status, 400, 'an unknown reason');
});

t.test('an archived location takes no more stock', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const api = inventoryClient(app, await registerAccount(app));
  const closed = await api.location('Closed');
  const id = await api.product();
  t.equal((await api.post(`/products/${id}/receipts`, { locationId: closed, quantity: 1 })).status, 201);
  await api.post(`/products/${id}/adjustments`, { locationId: closed, quantityDelta: -1, reason: 'correction' });
  t.equal((await api.delete(`/locations/${closed}`)).status, 204);
  const refused = await api.post(`/products/${id}/receipts`, { locationId: closed, quantity: 1 });
  t.equal(refused.status, 409);
  t.match(refused.body, { type: 'https://stockbook.dev/problems/location-archived', locationId: closed });
});
