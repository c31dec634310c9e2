// Lockout and rate limits: login failures are limited to 5 per IP and 3 per account in
// 15 minutes (429 with Retry-After), every route has a cap, and with REDIS_URL the
// counters are shared by every API instance (tested against this machine's Redis).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import t from 'tap';
import { streams } from '../../src/events/streams.js';
import { identityEnv, PASSWORD } from '../support/identity.js';

const problemType = (slug: string) => `https://stockbook.dev/problems/${slug}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WINDOW_S = 15 * 60;

t.test('3 failures lock the account, even for the right password, with Retry-After', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const api = env.client();
  for (let i = 1; i <= 3; i++) {
    const res = await api.post('/api/v1/auth/login', { body: { email: owner.email, password: `wrong password ${i}` } });
    t.equal(res.status, 401, `failure ${i}`);
  }
  const locked = await api.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD } });
  t.equal(locked.status, 429);
  t.match(locked.headers.get('content-type'), /problem\+json/);
  t.match(locked.body, { type: problemType('login-locked'), status: 429, detail: /Try again in \d+ seconds/ });
  const retryAfter = Number(locked.headers.get('retry-after'));
  t.ok(retryAfter > WINDOW_S - 60 && retryAfter <= WINDOW_S, `Retry-After ${retryAfter} s`);
  const upper = await api.post('/api/v1/auth/login', { body: { email: owner.email.toUpperCase(), password: PASSWORD } });
  t.equal(upper.status, 429, 'the account is the normalized email');

  const failed = (await env.system.store.readStream(streams.user(owner.tenantId, owner.userId))).filter((e) => e.type === 'LoginFailed');
  t.equal(failed.length, 3, 'each failure is in the log; the locked attempts are not evaluated at all');
  await env.assertNoSecretsInLog(t);
});

t.test('5 failures from one IP lock that IP for every account; a forged X-Forwarded-For does not help', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const api = env.client();
  for (let i = 1; i <= 5; i++) {
    const res = await api.post('/api/v1/auth/login', {
      headers: { 'x-forwarded-for': `10.0.0.${i}` },
      body: { email: `nobody-${i}@example.test`, password: 'guess guess guess' },
    });
    t.equal(res.status, 401, `failure ${i} (unknown emails count too)`);
  }
  const locked = await api.post('/api/v1/auth/login', { headers: { 'x-forwarded-for': '10.9.9.9' }, body: { email: owner.email, password: PASSWORD } });
  t.equal(locked.status, 429);
  t.ok(Number(locked.headers.get('retry-after')) > 0);
  t.match(locked.body, { type: problemType('login-locked') });
});

t.test('every route has a cap: 429 problem+json with Retry-After', async (t) => {
  const env = await identityEnv(t, { http: { rateLimit: { max: 3, timeWindowMs: 60_000 } } });
  const api = env.client();
  for (let i = 0; i < 3; i++) t.equal((await api.get('/health/live')).status, 200);
  const limited = await api.get('/health/live');
  t.equal(limited.status, 429);
  t.match(limited.headers.get('content-type'), /problem\+json/);
  t.match(limited.body, { type: problemType('rate-limited'), status: 429 });
  t.ok(Number(limited.headers.get('retry-after')) > 0);
  const me = await api.get('/api/v1/me');
  t.equal(me.status, 429, 'the API routes too');
});

// A fresh machine has no Redis: then this one test is skipped, and says so.
const redisUp = await (async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
})();

t.test('with Redis, the lockout and the caps are shared by every API instance', { skip: redisUp ? false : `no Redis at ${REDIS_URL} (set REDIS_URL)` }, async (t) => {
  const nameSpace = `stockbook-test-${randomUUID()}-`;
  const http = { rateLimit: { max: 1000, timeWindowMs: 60_000, redisUrl: REDIS_URL, nameSpace } };
  const first = await identityEnv(t, { http });
  const second = await identityEnv(t, { http });
  const email = `shared-${randomUUID()}@example.test`;
  for (let i = 1; i <= 3; i++) {
    const res = await first.client().post('/api/v1/auth/login', { body: { email, password: 'wrong password' } });
    t.equal(res.status, 401, `failure ${i} on the first instance`);
  }
  const locked = await second.client().post('/api/v1/auth/login', { body: { email, password: 'wrong password' } });
  t.equal(locked.status, 429, 'the second instance knows');
  t.ok(Number(locked.headers.get('retry-after')) > WINDOW_S - 60);
  const res = await first.client().get('/health/live');
  t.equal(res.headers.get('x-ratelimit-limit'), '1000', 'the global cap is counted in Redis too');
});
