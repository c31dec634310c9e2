// The admins' security view: recent failed logins and refresh-token reuse, and every
// active session of the tenant, all read from what the log recorded.
import t from 'tap';
import { streams } from '../../src/events/streams.js';
import { formatPosition } from '../../src/eventstore/port.js';
import { identityEnv } from '../support/identity.js';

t.test('admins see failed logins, token reuse and active sessions of their own tenant only', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const admin = await env.addMember(owner, 'admin');
  const salesperson = await env.addMember(owner, 'salesperson');
  const stranger = await env.signUp({ companyName: 'Elsewhere' });

  const api = env.client();
  await api.post('/api/v1/auth/login', { body: { email: salesperson.email, password: 'not the password' }, headers: { 'user-agent': 'Guesser/1' } });
  await api.post('/api/v1/auth/login', { body: { email: stranger.email, password: 'not the password' } });
  const rotated = await api.post('/api/v1/auth/refresh', { body: { refreshToken: salesperson.refreshToken } });
  const reused = await api.post('/api/v1/auth/refresh', { body: { refreshToken: salesperson.refreshToken } });
  t.equal(rotated.status, 200);
  t.equal(reused.status, 401);
  // The last write above is the revocation on the salesperson's session stream.
  const revoked = (await env.system.store.readStream(streams.session(salesperson.tenantId, salesperson.sessionId))).at(-1)!;
  const wait = { 'x-min-log-position': formatPosition(revoked.position) };

  const events = await admin.client.get<{ items: { kind: string; userId: string; email: string | null; ip: string; userAgent: string | null; detail: string }[]; total: number }>(
    '/api/v1/security/events',
    { token: admin.token, headers: wait },
  );
  t.equal(events.status, 200);
  t.equal(events.body.total, 2, "the stranger's failure belongs to another tenant");
  t.match(events.body.items, [
    { kind: 'refresh-token-reuse', userId: salesperson.userId },
    { kind: 'login-failed', userId: salesperson.userId, email: salesperson.email, ip: '127.0.0.1', userAgent: 'Guesser/1', detail: 'wrong-password' },
  ]);
  const onlyLogins = await admin.client.get<{ items: { kind: string }[] }>('/api/v1/security/events?kind=login-failed', { token: admin.token, headers: wait });
  t.same(onlyLogins.body.items.map((e) => e.kind), ['login-failed']);

  const sessions = await admin.client.get<{ items: { userId: string; userEmail: string | null; userName: string | null }[]; total: number }>('/api/v1/security/sessions', {
    token: admin.token,
    headers: wait,
  });
  t.equal(sessions.status, 200);
  const owners = new Set(sessions.body.items.map((s) => s.userId));
  t.same([...owners].sort(), [owner.userId, admin.userId].sort(), "active sessions of the tenant (the salesperson's ended with the reuse)");
  t.ok(sessions.body.items.every((s) => s.userEmail && s.userName), 'with whose they are');

  const denied = await salesperson.client.get('/api/v1/security/events', { token: salesperson.token });
  t.equal(denied.status, 403);
  await env.assertNoSecretsInLog(t);
});
