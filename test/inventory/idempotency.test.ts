// Idempotency-Key: a retried command is answered with the first response, not run twice.
import t from 'tap';
import { registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';

t.test('a repeated receipt with the same key is replayed, not applied twice', async (t) => {
  const { app } = await testApp(t);
  const api = inventoryClient(app, await registerAccount(app));
  const id = await api.product();
  const key = { 'idempotency-key': 'receipt-0001' };
  const first = await api.post(`/products/${id}/receipts`, { quantity: 5 }, key);
  const again = await api.post(`/products/${id}/receipts`, { quantity: 5 }, key);
  t.equal(first.status, 201);
  t.equal(again.status, 201);
  t.same(again.body, first.body, 'the same answer');
  t.equal(again.headers['x-log-position'], first.headers['x-log-position']);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.match((await api.get(`/products/${id}`)).body, { quantity: 5 }, 'applied once');

  const other = await api.post(`/products/${id}/receipts`, { quantity: 6 }, key);
  t.equal(other.status, 422, 'the same key for another request is refused');
  const rejected = await api.post(`/products/${id}/adjustments`, { locationId: id, quantityDelta: -1, reason: 'lost' }, { 'idempotency-key': 'adj-1' });
  const rejectedAgain = await api.post(`/products/${id}/adjustments`, { locationId: id, quantityDelta: -1, reason: 'lost' }, { 'idempotency-key': 'adj-1' });
  t.equal(rejectedAgain.status, rejected.status, 'a rejection is replayed too');
  t.equal((await api.post(`/products/${id}/receipts`, { quantity: 1 }, { 'idempotency-key': 'bad key with spaces' })).status, 400);

  const other2 = inventoryClient(app, await registerAccount(app));
  const theirs = await other2.product();
  t.equal((await other2.post(`/products/${theirs}/receipts`, { quantity: 2 }, key)).status, 201, 'keys are per tenant');
});
