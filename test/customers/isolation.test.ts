// Another company's customers and addresses do not exist for you: every route answers
// 404 and appends nothing, whatever the If-Match, and no list or search shows them.
import t from 'tap';
import { problem, registerAccount, testApp } from '../support/app.js';
import { client, json } from '../catalog/support.js';

t.test("another tenant's customer is a 404 on every route", async (t) => {
  const { app, system } = await testApp(t);
  const acme = client(app, await registerAccount(app));
  const intruder = client(app, await registerAccount(app));
  const id = await acme.create('/customers', {
    name: 'Secret Buyer',
    email: 'secret@buyer.test',
    phone: '555 0199',
    addresses: [{ kind: 'shipping', line1: '1 Hidden Way', city: 'Nowhere', country: 'NL' }],
  });
  const addressId = json<{ addresses: { id: string }[] }>(await acme.get(`/customers/${id}`)).addresses[0]!.id;
  const own = await intruder.create('/customers', { name: 'Own customer' });

  const before = (await system.store.readAll()).length;
  const address = { kind: 'billing', line1: '2 Mine St', city: 'Here', country: 'NL' };
  const attempts: [string, () => ReturnType<typeof intruder.get>][] = [
    ['GET customer', () => intruder.get(`/customers/${id}`)],
    ['PATCH customer', () => intruder.patch(`/customers/${id}`, { name: 'Mine' })],
    ['PATCH customer with its ETag', () => intruder.patch(`/customers/${id}`, { name: 'Mine' }, '"1"')],
    ['DELETE customer', () => intruder.delete(`/customers/${id}`)],
    ['DELETE customer with its ETag', () => intruder.delete(`/customers/${id}`, '"1"')],
    ['POST address', () => intruder.post(`/customers/${id}/addresses`, address)],
    ['PATCH address', () => intruder.patch(`/customers/${id}/addresses/${addressId}`, { city: 'Here' })],
    ['PATCH address with its ETag', () => intruder.patch(`/customers/${id}/addresses/${addressId}`, { city: 'Here' }, '"1"')],
    ['DELETE address', () => intruder.delete(`/customers/${id}/addresses/${addressId}`)],
    ['POST default', () => intruder.post(`/customers/${id}/addresses/${addressId}/default`, {})],
    // Their address under one's own customer is no address of it.
    ['PATCH their address on my customer', () => intruder.patch(`/customers/${own}/addresses/${addressId}`, { city: 'Here' })],
    ['DELETE their address on my customer', () => intruder.delete(`/customers/${own}/addresses/${addressId}`)],
    ['POST default of their address', () => intruder.post(`/customers/${own}/addresses/${addressId}/default`, {})],
  ];
  for (const [label, attempt] of attempts) {
    const res = await attempt();
    t.equal(res.statusCode, 404, label);
    t.match(problem(res).type, /\/(not-found|unknown-address)$/, label);
  }
  t.equal((await system.store.readAll()).length, before, 'nothing appended');

  for (const search of ['Secret', 'buyer.test', '5550199']) {
    const list = json<{ items: { name: string }[] }>(await intruder.get(`/customers?search=${search}`));
    t.same(list.items, [], `search ${search} finds nothing of theirs`);
  }
  t.same(json<{ items: { id: string }[] }>(await intruder.get('/customers')).items.map((c) => c.id), [own]);
  t.same(json<{ total: number }>(await intruder.get('/customers?archived=true')).total, 0);
  t.match(json(await acme.get(`/customers/${id}`)), { name: 'Secret Buyer', archived: false, addresses: [{ id: addressId, city: 'Nowhere' }] });
});
