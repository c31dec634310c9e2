// CSV import (products with opening balances) and export.
import t from 'tap';
import { bearer, registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';

t.test('import products with opening balances, then export them', async (t) => {
  const { app, system } = await testApp(t);
  const account = await registerAccount(app);
  const api = inventoryClient(app, account);
  const upload = (csv: string) =>
    app.inject({ method: 'POST', url: '/api/v1/products/import', headers: { ...bearer(account), 'content-type': 'text/csv' }, payload: csv });

  const good = ['sku,name,price,cost,quantity,unitCost,lot,expiresOn,minThreshold', 'A-1,Anvil,30.00,12.00,3,12.00,,,1', 'B-2,"Bolt, zinc",0.50,,100,0.05,L7,2030-01-31,', 'C-3,Crate,12,,,,,,'].join('\n');
  const imported = await upload(good);
  t.equal(imported.statusCode, 201);
  t.match(imported.json(), { imported: 3 });

  const exported = await app.inject({ url: '/api/v1/products/export.csv', headers: bearer(account, imported.json<{ position: string }>().position) });
  t.equal(exported.statusCode, 200);
  t.match(exported.headers['content-type'], /^text\/csv/);
  const lines = exported.body.trim().split('\n');
  t.equal(lines[0], 'sku,name,description,categoryId,price,cost,unit,barcode,minThreshold,tracksExpiry,quantity,value,archived');
  t.same(lines.slice(1).map((l) => l.split(',')[0]), ['A-1', 'B-2', 'C-3']);
  t.match(lines[1], /^A-1,Anvil,,,30\.00,12\.00,each,,1,false,3,36\.00,false$/);
  t.match(lines[2], /^B-2,"Bolt, zinc",.*,100,5\.00,false$/);

  const before = (await system.store.readAll()).length;
  const bad = ['sku,name,price,quantity', 'D-4,Drill,99,2', 'E-5,,10,1', 'a-1,Again,1,', 'F-6,File,ten,', 'G-7,Gauge,5,-1'].join('\n');
  const refused = await upload(bad);
  t.equal(refused.statusCode, 422);
  const errors = refused.json<{ errors: { line: number; field: string }[] }>().errors;
  t.same(errors.map((e) => [e.line, e.field]), [[3, 'name'], [5, 'price'], [6, 'quantity']], 'each bad row by its line');
  t.equal((await system.store.readAll()).length, before, 'nothing of the file was applied');

  const taken = await upload(['sku,name,price', 'H-8,Hook,1', 'a-1,Anvil again,1'].join('\n'));
  t.equal(taken.statusCode, 422);
  t.same(taken.json<{ errors: { line: number; field: string }[] }>().errors.map((e) => [e.line, e.field]), [[3, 'sku']], 'a SKU already in use');
  t.equal((await system.store.readAll()).length, before, 'still nothing applied');

  const duplicate = await upload(['sku,name,price', 'J-1,Jack,1', 'j-1,Jack twin,1'].join('\n'));
  t.same(duplicate.json<{ errors: { line: number; message: string }[] }>().errors, [{ line: 3, field: 'sku', message: 'duplicate of line 2' }]);
  t.equal((await upload('not,a,product\n1,2,3')).statusCode, 422);
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/products/import', headers: { ...bearer(account), 'content-type': 'application/xml' }, payload: '<a/>' })).statusCode, 415);
  t.match((await api.get('/products?search=bolt')).body, { total: 1 });
});
