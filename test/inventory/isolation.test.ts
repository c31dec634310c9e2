// Tenant isolation: every inventory route called with another tenant's product and
// location ids answers 404 (422 for a foreign location named in a body), shows none of
// the other tenant's data, and appends nothing to the other tenant's streams.
import t from 'tap';
import { registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';

t.test("another tenant's ids are never found, and nothing is appended", async (t) => {
  const { app, system } = await testApp(t);
  const ownerAccount = await registerAccount(app, 'Owner Ltd');
  const owner = inventoryClient(app, ownerAccount);
  const intruder = inventoryClient(app, await registerAccount(app, 'Intruder Ltd'));
  const shelf = await owner.location('Shelf');
  const backroom = await owner.location('Backroom');
  const id = await owner.product({ minThreshold: 1 });
  await owner.post(`/products/${id}/receipts`, { locationId: shelf, quantity: 5, lot: 'L1' });
  const shipped = await owner.post<{ transferId: string }>(`/products/${id}/transfers`, { fromLocationId: shelf, toLocationId: backroom, quantity: 1, mode: 'ship' });
  t.equal(shipped.status, 201);
  t.equal((await owner.get(`/products/${id}`)).status, 200, 'the owner sees the product');
  const theirs = await intruder.product();

  const ownerEvents = async () => (await system.store.readAll({ filter: { streamPrefixes: [`${ownerAccount.tenantId}:`] } })).length;
  const before = await ownerEvents();

  for (const url of [`/products/${id}`, `/products/${id}/stock`, `/products/${id}/history`]) t.equal((await intruder.get(url)).status, 404, `GET ${url}`);
  const commands: [string, unknown][] = [
    [`/products/${id}/receipts`, { quantity: 1 }],
    [`/products/${id}/adjustments`, { locationId: shelf, quantityDelta: 1, reason: 'found' }],
    [`/products/${id}/transfers`, { fromLocationId: shelf, toLocationId: backroom, quantity: 1 }],
    [`/products/${id}/transfers/${shipped.body.transferId}/receipts`, {}],
    [`/products/${id}/counts`, { locationId: shelf, countedQuantity: 0 }],
  ];
  for (const [url, body] of commands) t.match((await intruder.post(url, body)).status, /^(404|422)$/, `POST ${url}`);
  t.equal((await intruder.patch(`/products/${id}`, { name: 'Mine now' })).status, 404, 'PATCH');
  t.equal((await intruder.delete(`/products/${id}`)).status, 404, 'DELETE');
  t.equal((await intruder.put(`/products/${theirs}/thresholds/${shelf}`, { minThreshold: 1 })).status, 422, "a threshold at another tenant's location");
  t.equal((await intruder.post(`/products/${theirs}/receipts`, { quantity: 1, locationId: shelf })).status, 422, "receiving into another tenant's location");

  t.equal(await ownerEvents(), before, "nothing landed in the owner's streams");
  for (const url of ['/products', '/products?archived=true', '/alerts', '/dashboard'])
    t.notMatch(JSON.stringify((await intruder.get(url)).body), id, `${url} shows none of it`);
  t.match((await intruder.get('/dashboard')).body, { counts: { totalProducts: 1 }, stock: { totalStock: 0 } });
});
