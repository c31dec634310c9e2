import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import t from 'tap';
import { ProjectionRunner } from '../../src/projections/runner.js';
import { bearer, problem, registerAccount, testApp } from '../support/app.js';
import { client, json, type Client } from '../catalog/support.js';

const typeOf = (slug: string) => `https://stockbook.dev/problems/${slug}`;

interface Address {
  id: string;
  kind: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string | null;
  region: string | null;
  country: string;
  isDefault: boolean;
}

const addressesOf = async (api: Client, id: string) => json<{ addresses: Address[] }>(await api.get(`/customers/${id}`)).addresses;
/** The default of each kind, by line1. */
const defaults = async (api: Client, id: string) =>
  Object.fromEntries((await addressesOf(api, id)).filter((a) => a.isDefault).map((a) => [a.kind, a.line1]));

const at = (line1: string, kind = 'shipping', more: object = {}) => ({ kind, line1, city: 'Springfield', country: 'us', ...more });

t.test('one default per kind: the first, the chosen one, the heir', async (t) => {
  const { app, system } = await testApp(t);
  const api = client(app, await registerAccount(app));
  const id = await api.create('/customers', { name: 'Ann' });
  const add = async (body: object) => {
    const res = await api.post(`/customers/${id}/addresses`, body);
    t.equal(res.statusCode, 201, JSON.stringify(body));
    return json<{ id: string; revision: number }>(res).id;
  };

  const home = await add(at('1 Home St', 'shipping', { line2: 'Flat 2', postalCode: '12345', region: 'IL' }));
  const first = await addressesOf(api, id);
  t.same(first, [
    { id: home, kind: 'shipping', line1: '1 Home St', line2: 'Flat 2', city: 'Springfield', postalCode: '12345', region: 'IL', country: 'US', isDefault: true },
  ]);
  const office = await add(at('2 Office Rd'));
  const invoices = await add(at('3 Ledger Ln', 'billing'));
  t.same(await defaults(api, id), { shipping: '1 Home St', billing: '3 Ledger Ln' }, 'the first of each kind');

  const depot = await add(at('4 Depot Way', 'shipping', { isDefault: true }));
  t.same(await defaults(api, id), { shipping: '4 Depot Way', billing: '3 Ledger Ln' }, 'a new default replaces the old');

  const set = await api.post(`/customers/${id}/addresses/${office}/default`, {});
  t.equal(set.statusCode, 200);
  t.equal(json<{ id: string }>(set).id, office);
  t.same(await defaults(api, id), { shipping: '2 Office Rd', billing: '3 Ledger Ln' });
  const before = (await system.store.readAll()).length;
  t.equal((await api.post(`/customers/${id}/addresses/${office}/default`, {})).statusCode, 200);
  t.equal((await system.store.readAll()).length, before, 'already the default: nothing appended');

  t.equal((await api.delete(`/customers/${id}/addresses/${office}`)).statusCode, 204);
  t.same(await defaults(api, id), { shipping: '1 Home St', billing: '3 Ledger Ln' }, 'the earliest-added shipping address left inherits');
  t.equal((await api.delete(`/customers/${id}/addresses/${invoices}`)).statusCode, 204);
  t.same(await defaults(api, id), { shipping: '1 Home St' }, 'no billing address, no billing default');
  t.same((await addressesOf(api, id)).map((a) => a.id), [home, depot], 'listed in the order added');

  const changed = await api.patch(`/customers/${id}/addresses/${home}`, { line2: null, city: 'Shelbyville', country: 'ca' });
  t.equal(changed.statusCode, 200);
  t.match(json(changed), { id: home });
  t.match((await addressesOf(api, id))[0], { id: home, line1: '1 Home St', line2: null, city: 'Shelbyville', postalCode: '12345', country: 'CA', isDefault: true });
  const same = (await system.store.readAll()).length;
  t.equal((await api.patch(`/customers/${id}/addresses/${home}`, { city: 'Shelbyville' })).statusCode, 200);
  t.equal((await system.store.readAll()).length, same, 'a change to what is there appends nothing');

  const unknown = randomUUID();
  for (const res of [
    await api.patch(`/customers/${id}/addresses/${unknown}`, { city: 'X' }),
    await api.delete(`/customers/${id}/addresses/${unknown}`),
    await api.delete(`/customers/${id}/addresses/${office}`),
    await api.post(`/customers/${id}/addresses/${unknown}/default`, {}),
  ]) {
    t.equal(res.statusCode, 404);
    t.match(problem(res), { type: typeOf('unknown-address') });
  }
  t.equal((await system.store.readAll()).length, same, 'rejected commands append nothing');
});

t.test('addresses with the customer; every address change moves the ETag', async (t) => {
  const { app, system } = await testApp(t);
  const account = await registerAccount(app);
  const api = client(app, account);
  const created = await api.post('/customers', {
    name: 'Bob',
    addresses: [at('1 Dock Rd'), at('2 Quay St', 'shipping', { isDefault: true }), at('3 Bank Sq', 'billing'), at('4 Farm Ln', 'other')],
  });
  t.equal(created.statusCode, 201);
  const { id, revision } = json<{ id: string; revision: number }>(created);
  t.equal(revision, 5, 'registered, four addresses and the chosen default: one append');
  t.same(await defaults(api, id), { shipping: '2 Quay St', billing: '3 Bank Sq', other: '4 Farm Ln' });

  const one = await api.get(`/customers/${id}`);
  t.equal(one.headers.etag, '"5"');
  const [dock] = await addressesOf(api, id);
  const before = (await system.store.readAll()).length;
  const stale = [
    await api.patch(`/customers/${id}/addresses/${dock!.id}`, { city: 'X' }, '"4"'),
    await api.delete(`/customers/${id}/addresses/${dock!.id}`, '"0"'),
    await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${id}/addresses/${dock!.id}/default`,
      headers: { ...bearer(account), 'if-match': '"2"' },
    }),
  ];
  for (const res of stale) t.equal(res.statusCode, 412);
  t.equal((await system.store.readAll()).length, before, 'a stale If-Match appends nothing');

  const changed = await api.patch(`/customers/${id}/addresses/${dock!.id}`, { postalCode: '99999' }, '"5"');
  t.equal(changed.statusCode, 200);
  t.equal(changed.headers.etag, '"6"');
  const reread = await api.get(`/customers/${id}`);
  t.equal(reread.headers.etag, '"6"', "an address change is a change of the customer's");
  const after = await api.patch(`/customers/${id}`, { name: 'Bob B' }, '"6"');
  t.equal(after.statusCode, 200);
});

t.test('rebuilding the customers read model from the log gives the same rows', async (t) => {
  const { app, system } = await testApp(t);
  const api = client(app, await registerAccount(app));
  const ann = await api.create('/customers', { name: 'Ann', phone: '555-0100', addresses: [at('1 A St'), at('2 B St', 'billing')] });
  const bob = await api.create('/customers', { name: 'Bob', email: 'bob@example.test' });
  const c = json<{ id: string }>(await api.post(`/customers/${bob}/addresses`, at('3 C St'))).id;
  await api.post(`/customers/${bob}/addresses`, at('4 D St'));
  await api.post(`/customers/${bob}/addresses/${c}/default`, {});
  await api.delete(`/customers/${bob}/addresses/${c}`);
  await api.patch(`/customers/${ann}`, { phone: '+1 555 0101', note: 'late payer' });
  await api.delete(`/customers/${ann}`);
  t.equal((await api.get(`/customers/${ann}`)).statusCode, 200, 'the read model caught up');

  const rows = async () => ({
    customers: await system.db.selectFrom('customers').selectAll().orderBy('id').execute(),
    addresses: await system.db.selectFrom('customer_addresses').selectAll().orderBy('id').execute(),
  });
  const before = await rows();
  t.equal(before.customers.length, 2);
  t.same(before.addresses.filter((a) => a.is_default).map((a) => a.line1).sort(), ['1 A St', '2 B St', '4 D St']);
  t.match(before.customers.find((r) => r.id === ann), { phone_digits: '15550101', archived: true });

  const running = system.runners.find((r) => r.projection.name === 'customers')!;
  await running.stop();
  const fresh = new ProjectionRunner(running.projection, { store: system.store, db: system.db, connection: system.connection, logger: pino({ level: 'silent' }) });
  await fresh.rebuild();
  t.same(await rows(), before);
});
