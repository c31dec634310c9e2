// The README walkthrough, over real HTTP against a running service.
import type { RunningService } from './process.js';
import type { Test } from './tap.js';

export async function walkthrough(t: Test, service: RunningService, email = 'ada@acme.test'): Promise<void> {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const password = 'correct horse battery staple';
  const registered = await call('POST', '/api/v1/auth/register', { companyName: 'Acme Hardware', name: 'Ada', email, password });
  t.equal(registered.status, 201, 'registered');

  const login = await call('POST', '/api/v1/auth/login', { email, password });
  t.equal(login.status, 200, 'logged in');
  const auth = { authorization: `Bearer ${login.body.accessToken as string}` };

  const created = await call('POST', '/api/v1/products', { sku: 'HAM-001', name: 'Claw hammer', price: '24.90', cost: '11.20' }, auth);
  t.equal(created.status, 201, 'product created');
  const productId = created.body.id as string;

  const received = await call('POST', `/api/v1/products/${productId}/receipts`, { quantity: 40, unitCost: '11.20' }, auth);
  t.equal(received.status, 201, 'stock received');
  const position = received.headers.get('x-log-position')!;
  t.equal(position, received.body.position, 'the position is in the header and the body');

  // Right after the receipt: the list that sends the position shows the new quantity.
  const list = await call('GET', '/api/v1/products?search=hammer', undefined, { ...auth, 'x-min-log-position': position });
  t.equal(list.status, 200);
  t.match(list.body, { total: 1, items: [{ id: productId, sku: 'HAM-001', quantity: 40, value: '448.00' }] }, 'the list shows the receipt');
}
