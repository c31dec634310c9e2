import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createProduct, problem, registerAccount, testApp } from '../support/app.js';
import { client, json, type Client } from './support.js';

const typeOf = (slug: string) => `https://stockbook.dev/problems/${slug}`;

interface Detail {
  id: string;
  name: string;
  parentId: string | null;
  ancestorIds: string[];
  ancestors: { id: string; name: string }[];
  depth: number;
  archived: boolean;
  isDefault: boolean;
  stock: {
    quantity: number;
    value: string;
    here: { quantity: number; value: string };
    productCount: number;
    products: { productId: string; sku: string; quantity: number; quantityHere: number; value: string }[];
  };
}

const detail = async (api: Client, id: string) => json<Detail>(await api.get(`/locations/${id}`));

/** Warehouse > Aisle > Shelf, beside the company's default location (Main). */
async function tree(api: Client) {
  const main = json<{ items: { id: string; isDefault: boolean }[] }>(await api.get('/locations')).items.find((l) => l.isDefault)!.id;
  const warehouse = await api.create('/locations', { name: 'Warehouse' });
  const aisle = await api.create('/locations', { name: 'Aisle 1', parentId: warehouse });
  const shelf = await api.create('/locations', { name: 'Shelf A', parentId: aisle });
  return { main, warehouse, aisle, shelf };
}

t.test('a tree: create, read with ancestors, rename with If-Match, archive', async (t) => {
  const { app, system } = await testApp(t);
  const api = client(app, await registerAccount(app));
  const { main, warehouse, aisle, shelf } = await tree(api);

  const one = await api.get(`/locations/${shelf}`);
  t.equal(one.statusCode, 200);
  t.equal(one.headers.etag, '"0"');
  t.match(json(one), {
    id: shelf,
    name: 'Shelf A',
    parentId: aisle,
    depth: 2,
    ancestorIds: [warehouse, aisle],
    ancestors: [
      { id: warehouse, name: 'Warehouse' },
      { id: aisle, name: 'Aisle 1' },
    ],
    archived: false,
    isDefault: false,
    stock: { quantity: 0, value: '0.00', here: { quantity: 0, value: '0.00' }, productCount: 0, products: [] },
  });

  const list = json<{ items: { id: string }[]; total: number }>(await api.get('/locations'));
  t.equal(list.total, 4);
  t.same(list.items.map((l) => l.id), [main, warehouse, aisle, shelf], 'tree order: parents before children');
  t.same(json<{ items: { id: string }[] }>(await api.get(`/locations?parentId=${warehouse}`)).items.map((l) => l.id), [aisle]);
  t.same(json<{ items: { id: string }[] }>(await api.get('/locations?parentId=root')).items.map((l) => l.id), [main, warehouse]);
  t.same(json<{ items: { id: string }[] }>(await api.get('/locations?search=aisle')).items.map((l) => l.id), [aisle]);
  t.same(json<{ items: { name: string }[] }>(await api.get('/locations?sort=-name')).items.map((l) => l.name), ['Warehouse', 'Shelf A', 'Main', 'Aisle 1']);

  const renamed = await api.patch(`/locations/${aisle}`, { name: 'Aisle 2' }, '"0"');
  t.equal(renamed.statusCode, 200);
  t.equal(renamed.headers.etag, '"1"');
  t.match((await detail(api, shelf)).ancestors, [{ name: 'Warehouse' }, { name: 'Aisle 2' }], 'descendants show the new name');

  const before = (await system.store.readAll()).length;
  const stale = await api.patch(`/locations/${aisle}`, { name: 'Aisle 3' }, '"0"');
  t.equal(stale.statusCode, 412);
  t.equal(problem(stale).type, typeOf('precondition-failed'));
  t.equal((await api.delete(`/locations/${aisle}`, '"0"')).statusCode, 412);
  const mainGone = await api.delete(`/locations/${main}`);
  t.equal(mainGone.statusCode, 422);
  t.equal(problem(mainGone).type, typeOf('location-is-default'));
  t.equal((await system.store.readAll()).length, before, 'the refused commands appended nothing');

  t.equal((await api.delete(`/locations/${shelf}`, '"0"')).statusCode, 204);
  t.match(await detail(api, shelf), { archived: true }, 'archived, not deleted');
  t.notOk(json<{ items: { id: string }[] }>(await api.get('/locations')).items.some((l) => l.id === shelf));
  t.same(json<{ items: { id: string }[] }>(await api.get('/locations?archived=true')).items.map((l) => l.id), [shelf]);

  const after = (await system.store.readAll()).length;
  t.equal((await api.delete(`/locations/${shelf}`)).statusCode, 204, 'archiving twice is fine and appends nothing');
  const renameArchived = await api.patch(`/locations/${shelf}`, { name: 'Back' });
  t.equal(renameArchived.statusCode, 409);
  t.equal(problem(renameArchived).type, typeOf('location-archived'));
  const underArchived = await api.post('/locations', { name: 'Bin', parentId: shelf });
  t.equal(underArchived.statusCode, 422);
  t.equal(problem(underArchived).type, typeOf('parent-archived'));
  const moveUnderArchived = await api.patch(`/locations/${warehouse}`, { parentId: shelf });
  t.equal(moveUnderArchived.statusCode, 422);
  t.equal((await system.store.readAll()).length, after);
});

t.test('moving carries the subtree along; a cycle is refused', async (t) => {
  const { app, system } = await testApp(t);
  const api = client(app, await registerAccount(app));
  const { main, warehouse, aisle, shelf } = await tree(api);
  const bin = await api.create('/locations', { name: 'Bin 7', parentId: shelf });

  const moved = await api.patch(`/locations/${aisle}`, { parentId: main, name: 'Aisle 9' }, '"0"');
  t.equal(moved.statusCode, 200);
  t.equal(moved.headers.etag, '"2"', 'a rename and a move: two events, one answer');
  t.match(await detail(api, bin), { depth: 3, ancestorIds: [main, aisle, shelf] });
  t.match(await detail(api, aisle), { parentId: main, depth: 1, name: 'Aisle 9' });

  t.equal((await api.patch(`/locations/${aisle}`, { parentId: null })).statusCode, 200);
  t.match(await detail(api, bin), { depth: 2, ancestorIds: [aisle, shelf] }, 'a root of its own');

  const before = (await system.store.readAll()).length;
  for (const [label, id, parentId] of [
    ['under itself', aisle, aisle],
    ['under its child', aisle, shelf],
    ['under its grandchild', aisle, bin],
  ] as const) {
    const res = await api.patch(`/locations/${id}`, { parentId });
    t.equal(res.statusCode, 422, label);
    t.match(problem(res), { type: typeOf('location-cycle'), locationId: id, parentId });
  }
  const nowhere = await api.patch(`/locations/${aisle}`, { parentId: randomUUID() });
  t.equal(nowhere.statusCode, 422);
  t.equal(problem(nowhere).type, typeOf('unknown-location'));
  t.equal((await system.store.readAll()).length, before, 'nothing appended');

  // Each move is fine alone; together they would close a loop. One wins, one is refused.
  const race = await Promise.all([api.patch(`/locations/${warehouse}`, { parentId: aisle }), api.patch(`/locations/${aisle}`, { parentId: warehouse })]);
  t.same(race.map((r) => r.statusCode).sort(), [200, 422]);
  const tops = json<{ items: { id: string }[] }>(await api.get('/locations?parentId=root')).items.map((l) => l.id);
  t.ok(tops.includes(warehouse) !== tops.includes(aisle), 'exactly one of them is still a root');
});

t.test('stock is shown per location and rolled up to every ancestor', async (t) => {
  const { app } = await testApp(t);
  const account = await registerAccount(app);
  const api = client(app, account);
  const { main, warehouse, aisle, shelf } = await tree(api);
  const hammer = await createProduct(app, account, { sku: 'HAM-1', name: 'Hammer', cost: '4.00' });
  const nails = await createProduct(app, account, { sku: 'NAIL-1', name: 'Nails', cost: '0.10' });
  const receive = async (productId: string, locationId: string, quantity: number, unitCost: string) => {
    const res = await api.post(`/products/${productId}/receipts`, { locationId, quantity, unitCost });
    t.equal(res.statusCode, 201, `receipt of ${quantity}`);
  };
  await receive(hammer.id, shelf, 10, '4.00');
  await receive(hammer.id, warehouse, 5, '4.00');
  await receive(nails.id, aisle, 1000.5, '0.02');
  await receive(nails.id, main, 100, '0.02');

  const top = await detail(api, warehouse);
  t.match(top.stock, {
    quantity: 1015.5,
    value: '80.01', // 15 × 4.00 + 1000.5 × 0.02
    here: { quantity: 5, value: '20.00' },
    productCount: 2,
    products: [
      { productId: nails.id, sku: 'NAIL-1', quantity: 1000.5, quantityHere: 0, value: '20.01' },
      { productId: hammer.id, sku: 'HAM-1', quantity: 15, quantityHere: 5, value: '60.00' },
    ],
  });
  t.match((await detail(api, aisle)).stock, { quantity: 1010.5, here: { quantity: 1000.5 }, productCount: 2 });
  t.match((await detail(api, shelf)).stock, { quantity: 10, value: '40.00', here: { quantity: 10, value: '40.00' }, productCount: 1 });
  t.match((await detail(api, main)).stock, { quantity: 100, value: '2.00', productCount: 1 }, 'the other tree is apart');

  // The roll-up follows the tree: the shelf's stock moves with it.
  t.equal((await api.patch(`/locations/${shelf}`, { parentId: main })).statusCode, 200);
  t.match((await detail(api, warehouse)).stock, { quantity: 1005.5, value: '40.01' });
  t.match((await detail(api, main)).stock, { quantity: 110, value: '42.00', here: { quantity: 100 }, productCount: 2 });
});

t.test("another tenant's location is a 404, for reads and for commands", async (t) => {
  const { app, system } = await testApp(t);
  const acmeAccount = await registerAccount(app);
  const acme = client(app, acmeAccount);
  const intruder = client(app, await registerAccount(app));
  const { warehouse } = await tree(acme);
  const product = await createProduct(app, acmeAccount);
  t.equal((await acme.post(`/products/${product.id}/receipts`, { locationId: warehouse, quantity: 3 })).statusCode, 201);
  const own = await intruder.create('/locations', { name: 'Mine' });

  const before = (await system.store.readAll()).length;
  t.equal((await intruder.get(`/locations/${warehouse}`)).statusCode, 404);
  t.equal((await intruder.patch(`/locations/${warehouse}`, { name: 'Taken' })).statusCode, 404);
  t.equal((await intruder.patch(`/locations/${warehouse}`, { parentId: own }, '"0"')).statusCode, 404, 'even with the right ETag');
  t.equal((await intruder.delete(`/locations/${warehouse}`)).statusCode, 404);
  const under = await intruder.post('/locations', { name: 'Child', parentId: warehouse });
  t.equal(under.statusCode, 422, 'as a parent it is unknown, like any id that is not theirs');
  t.equal(problem(under).type, typeOf('unknown-location'));
  t.equal((await intruder.patch(`/locations/${own}`, { parentId: warehouse })).statusCode, 422);
  t.equal((await system.store.readAll()).length, before, 'nothing appended');

  const theirs = json<{ items: { id: string }[]; total: number }>(await intruder.get('/locations'));
  t.equal(theirs.total, 2, 'their default location and their own');
  t.notOk(theirs.items.some((l) => l.id === warehouse));
  t.match((await detail(intruder, own)).stock, { quantity: 0, productCount: 0 });
  t.match((await detail(acme, warehouse)).stock, { quantity: 3 });
});

t.test('bad input is a 400 problem naming the field', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const api = client(app, await registerAccount(app));
  const id = randomUUID();
  const before = (await system.store.readAll()).length;
  const cases = [
    ['empty name', api.post('/locations', { name: '' }), 'name'],
    ['long name', api.post('/locations', { name: 'x'.repeat(101) }), 'name'],
    ['parent not an id', api.post('/locations', { name: 'A', parentId: 'up' }), 'parentId'],
    ['nothing to change', api.patch(`/locations/${id}`, {}), '(root)'],
    ['blank rename', api.patch(`/locations/${id}`, { name: ' ' }), 'name'],
    ['move not an id', api.patch(`/locations/${id}`, { parentId: 7 }), 'parentId'],
    ['id not an id', api.delete('/locations/abc'), 'id'],
    ['parent filter', api.get('/locations?parentId=top'), 'parentId'],
    ['sort field', api.get('/locations?sort=size'), 'sort'],
  ] as const;
  for (const [label, pending, field] of cases) {
    const res = await pending;
    t.equal(res.statusCode, 400, label);
    t.equal(problem(res).type, typeOf('validation'));
    t.ok(problem(res).errors?.some((e) => e.field === field), `${label}: names ${field} in ${res.body}`);
  }
  t.equal((await system.store.readAll()).length, before);
});
