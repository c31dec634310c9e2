// Every identity flow against one log, then the log is scanned: no password, code or
// token in plaintext anywhere (each e2e test also scans its own log when it ends).
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { identityEnv, PASSWORD } from '../support/identity.js';
import { eventually } from '../support/eventually.js';
import { codeIn } from '../support/smtp.js';

t.test('all flows, one log, no secret in it', async (t) => {
  const env = await identityEnv(t, { google: true });
  const ok = (res: { status: number }, status: number, what: string) => t.equal(res.status, status, what);

  const owner = await env.signUp();
  const first = codeIn(await env.mailbox.next(owner.email));
  env.ledger.add(first);
  env.advanceClock(61_000);
  ok(await owner.client.post('/api/v1/auth/verify-email/resend', { token: owner.token }), 202, 'resend');
  const second = codeIn(await env.mailbox.next(owner.email));
  env.ledger.add(second);
  const verified = await owner.client.post<{ accessToken: string }>('/api/v1/auth/verify-email', { token: owner.token, body: { code: second } });
  ok(verified, 200, 'verify');
  owner.token = verified.body.accessToken;

  const browser = env.client();
  ok(await browser.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD, rememberMe: true } }), 200, 'login with cookies');
  ok(await browser.post('/api/v1/auth/refresh', { csrf: true }), 200, 'cookie refresh');
  ok(await browser.post('/api/v1/auth/login', { body: { email: owner.email, password: 'a wrong password' } }), 401, 'a failed login');
  const rotated = await env.client().post('/api/v1/auth/refresh', { body: { refreshToken: owner.refreshToken } });
  ok(rotated, 200, 'body refresh');
  ok(await env.client().post('/api/v1/auth/refresh', { body: { refreshToken: owner.refreshToken } }), 401, 'reuse');

  const manager = await env.addMember(owner, 'manager');
  const viewer = await env.addMember(owner, 'viewer');
  ok(await owner.client.patch(`/api/v1/users/${viewer.userId}`, { token: owner.token, body: { role: 'salesperson' } }), 200, 'role change');
  ok(await owner.client.post(`/api/v1/users/${viewer.userId}/deactivate`, { token: owner.token }), 200, 'deactivate');
  const pending = await owner.client.post<{ id: string }>('/api/v1/invitations', { token: owner.token, body: { email: `p-${randomUUID()}@example.test`, role: 'viewer' } });
  ok(await owner.client.delete(`/api/v1/invitations/${pending.body.id}`, { token: owner.token }), 200, 'revoke an invitation');

  ok(await env.client().post('/api/v1/auth/password/forgot', { body: { email: manager.email } }), 202, 'forgot');
  const resetCode = codeIn(await env.mailbox.next(manager.email));
  env.ledger.add(resetCode);
  const token = await env.client().post<{ resetToken: string }>('/api/v1/auth/password/verify', { body: { email: manager.email, code: resetCode } });
  ok(token, 200, 'reset code verified');
  ok(await env.client().post('/api/v1/auth/password/reset', { body: { resetToken: token.body.resetToken, newPassword: 'manager has a new one' } }), 204, 'reset');
  ok(await owner.client.post('/api/v1/auth/password/change', { token: owner.token, body: { currentPassword: PASSWORD, newPassword: 'owner has a new one too' } }), 204, 'change');

  const idToken = await env.google!.idToken({ email: `g-${randomUUID()}@example.test` });
  env.ledger.add(idToken);
  ok(await env.client().post('/api/v1/auth/google', { body: { idToken } }), 201, 'google');
  ok(await owner.client.put('/api/v1/settings', { token: owner.token, body: { currency: 'EUR', timezone: 'UTC', lowStockThreshold: 1, expiryWarningDays: 5, alertEmails: true } }), 200, 'settings');
  ok(await owner.client.patch('/api/v1/company', { token: owner.token, body: { legalName: 'Acme Ltd' } }), 200, 'company');
  ok(await owner.client.patch(`/api/v1/users/${manager.userId}`, { token: owner.token, body: { role: 'owner' } }), 200, 'ownership transfer');
  ok(await browser.post('/api/v1/auth/logout', { csrf: true }), 204, 'logout');

  const types = await eventually(async () => new Set((await env.system.store.readAll()).map((e) => e.type)), (found) => found.size >= 20);
  t.ok(types.size >= 20, `the log holds ${types.size} kinds of events`);
  await env.assertNoSecretsInLog(t);
});
