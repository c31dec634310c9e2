// The permission matrix on the inventory routes: viewers read, salespeople read stock
// (not valuation), managers and up change inventory.
import t from 'tap';
import { identityEnv } from '../support/identity.js';

t.test('who may read and change inventory', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const as = (token: string) => ({
    get: (path: string) => owner.client.request('GET', `/api/v1${path}`, { token }),
    post: (path: string, body: unknown) => owner.client.request('POST', `/api/v1${path}`, { token, body }),
  });
  const created = await as(owner.token).post('/products', { sku: 'P-1', name: 'Thing', price: '1.00' });
  t.equal(created.status, 201);
  const id = (created.body as { id: string }).id;

  const viewer = as((await env.addMember(owner, 'viewer')).token);
  t.equal((await viewer.get('/products')).status, 200, 'a viewer reads products');
  t.equal((await viewer.get('/dashboard')).status, 200, 'and the dashboard');
  const refused = await viewer.post(`/products/${id}/receipts`, { quantity: 1 });
  t.equal(refused.status, 403, 'but changes no stock');
  t.match(refused.body, { type: 'https://stockbook.dev/problems/forbidden', permission: 'inventory:write' });
  t.equal((await viewer.post('/products', { sku: 'P-2', name: 'Other', price: '1.00' })).status, 403);

  const seller = as((await env.addMember(owner, 'salesperson')).token);
  t.equal((await seller.get(`/products/${id}/stock`)).status, 200, 'a salesperson reads stock');
  t.equal((await seller.get('/alerts')).status, 200, 'and alerts');
  t.equal((await seller.get('/dashboard')).status, 403, 'not the valuation');
  t.equal((await seller.post(`/products/${id}/adjustments`, { locationId: id, quantityDelta: 1, reason: 'found' })).status, 403);

  const manager = as((await env.addMember(owner, 'manager')).token);
  t.equal((await manager.post(`/products/${id}/receipts`, { quantity: 3 })).status, 201, 'a manager receives stock');
});
