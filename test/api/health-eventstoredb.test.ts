// Readiness follows the event store: 503 while EventStoreDB is unreachable.
import t from 'tap';
import { startEsdbDouble } from '../support/esdb-double/server.js';
import { registerAccount, testApp } from '../support/app.js';

t.test('/health/ready is 503 while EventStoreDB is down', async (t) => {
  const double = await startEsdbDouble();
  t.teardown(() => double.stop());
  const { app } = await testApp(t, { projections: false, eventStoreUrl: double.url });
  await registerAccount(app);
  const up = await app.inject({ url: '/health/ready' });
  t.equal(up.statusCode, 200);
  t.match(up.json(), { checks: { eventStore: { status: 'up' } } });

  await double.stop();
  const started = Date.now();
  const down = await app.inject({ url: '/health/ready' });
  t.equal(down.statusCode, 503);
  t.match(down.json(), { status: 'not-ready', checks: { eventStore: { status: 'down' }, readModels: { status: 'up' } } });
  t.ok(Date.now() - started < 15_000, 'answered without hanging');
  const command = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { companyName: 'X', name: 'X', email: 'x@example.test', password: 'long enough password' } });
  t.equal(command.statusCode, 503, 'commands answer 503 (retry later), not 500');
  t.equal(command.headers['retry-after'], '1');
});
