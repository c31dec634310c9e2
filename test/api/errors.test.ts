// Bad input never yields a 500 and never appends anything.
import t from 'tap';
import { bearer, problem, registerAccount, testApp } from '../support/app.js';

t.test('malformed requests get a clear problem+json 4xx and append nothing', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const before = (await system.store.readAll()).length;
  const post = (payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/api/v1/products', headers: { ...bearer(account), 'content-type': contentType }, payload });

  const cases = [
    { name: 'broken JSON', res: await post('{"sku": "A", '), status: 400 },
    { name: 'empty body', res: await post(''), status: 400 },
    { name: 'a JSON array', res: await post('[]'), status: 400 },
    { name: 'a body over the limit', res: await post(JSON.stringify({ sku: 'A', name: 'x'.repeat(70_000), price: '1' })), status: 413 },
    { name: 'a form instead of JSON', res: await post('sku=A', 'application/x-www-form-urlencoded'), status: 415 },
    { name: 'plain text', res: await post('sku=A', 'text/plain'), status: 415 },
    { name: 'an unknown route', res: await app.inject({ url: '/api/v1/nothing-here' }), status: 404 },
    { name: 'a bad id', res: await app.inject({ url: '/api/v1/products/not-a-uuid', headers: bearer(account) }), status: 400 },
  ];
  for (const { name, res, status } of cases) {
    t.equal(res.statusCode, status, `${name}: ${status}`);
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${name}: problem+json`);
    t.match(problem(res), { status, type: /^https:\/\/stockbook\.dev\/problems\// });
    t.notMatch(res.body, /at .*\.(ts|js):\d+/, `${name}: no stack trace`);
  }
  t.equal((await system.store.readAll()).length, before, 'nothing appended');
});

t.test('validation errors name every field', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: bearer(account),
    payload: { sku: '', price: 12.5, cost: '-1', minThreshold: 0.0001 },
  });
  t.equal(res.statusCode, 400);
  const fields = [...new Set((problem(res).errors ?? []).map((e) => e.field))].sort();
  t.same(fields, ['cost', 'minThreshold', 'name', 'price', 'sku']);
  t.ok(res.json().requestId, 'carries the request id');
  t.equal(res.json().requestId, res.headers['x-request-id']);
});

t.test('X-Min-Log-Position: malformed is a 400; unreachable times out with 503', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const bad = await app.inject({ url: '/api/v1/products', headers: bearer(account, 'yesterday') });
  t.equal(bad.statusCode, 400);
  t.equal(problem(bad).type, 'https://stockbook.dev/problems/invalid-log-position');
  // Projections are not running here, so the read model never gets there.
  const behind = await app.inject({ url: '/api/v1/products', headers: bearer(account, '999999999.1') });
  t.equal(behind.statusCode, 503);
  t.equal(behind.headers['retry-after'], '1');
});

t.test('OpenAPI 3.1 document and docs UI', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const res = await app.inject({ url: '/api/openapi.json' });
  t.equal(res.statusCode, 200);
  const doc = res.json<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> }>();
  t.match(doc.openapi, /^3\.1/);
  for (const path of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/me', '/api/v1/products', '/api/v1/products/{id}', '/api/v1/products/{id}/receipts'])
    t.ok(doc.paths[path], `documents ${path}`);
  t.ok(doc.paths['/api/v1/products']?.post?.requestBody, 'request bodies come from the zod schemas');
  const ui = await app.inject({ url: '/api/docs/' });
  t.equal(ui.statusCode, 200);
  t.match(ui.body, /swagger/i);
});

t.test('health: live, and ready while the store and database answer', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  t.same((await app.inject({ url: '/health/live' })).json(), { status: 'up' });
  await registerAccount(app);
  const ready = await app.inject({ url: '/health/ready' });
  t.equal(ready.statusCode, 200);
  t.match(ready.json(), { status: 'ready', checks: { eventStore: { status: 'up' }, readModels: { status: 'up' } } });
  const behind = ready.json<{ projections: { name: string; caughtUp: boolean; parked: number }[] }>().projections;
  t.same(behind.map((p) => [p.name, p.caughtUp, p.parked]), system.projections.map((name) => [name, false, 0]), 'stopped projections report their lag');
  await Promise.all(system.runners.map((r) => r.catchUp()));
  const caughtUp = (await app.inject({ url: '/health/ready' })).json<{ projections: { caughtUp: boolean }[] }>().projections;
  t.ok(caughtUp.every((p) => p.caughtUp), 'and catch up');
  await system.connection.close();
  const down = await app.inject({ url: '/health/ready' });
  t.equal(down.statusCode, 503, 'not ready once the database is gone');
  t.match(down.json(), { status: 'not-ready', checks: { eventStore: { status: 'down' } } });
});
