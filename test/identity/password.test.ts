// Passwords end to end: forgot -> code by mail -> reset token -> new password (every
// session ends); change password (the other sessions end); no user enumeration.
import t from 'tap';
import { streams } from '../../src/events/streams.js';
import { identityEnv, PASSWORD } from '../support/identity.js';
import { codeIn } from '../support/smtp.js';

const problemType = (slug: string) => `https://stockbook.dev/problems/${slug}`;
const NEW_PASSWORD = 'a brand new passphrase 42';

t.test('reset in three steps; the requester IP is recorded; success ends every session', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  await env.mailbox.next(owner.email); // the verification mail
  const laptop = env.client();
  const laptopLogin = await laptop.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD } });

  const anonymous = env.client();
  const forgot = await anonymous.post('/api/v1/auth/password/forgot', { body: { email: owner.email.toUpperCase() } });
  t.equal(forgot.status, 202);
  const mail = await env.mailbox.next(owner.email);
  t.match(mail.subject, /Reset your Stockbook password/);
  t.match(mail.text, /from 127\.0\.0\.1/, 'the mail says where the request came from');
  const code = codeIn(mail);
  env.ledger.add(code);
  const requested = (await env.system.store.readStream(streams.user(owner.tenantId, owner.userId))).find((e) => e.type === 'PasswordResetRequested');
  t.match(requested?.data, { requestedFromIp: '127.0.0.1', email: owner.email });

  const wrong = await anonymous.post('/api/v1/auth/password/verify', { body: { email: owner.email, code: code === '000000' ? '000001' : '000000' } });
  t.equal(wrong.status, 400);
  t.match(wrong.body, { type: problemType('invalid-code') });

  const verified = await anonymous.post<{ resetToken: string; expiresAt: string }>('/api/v1/auth/password/verify', { body: { email: owner.email, code } });
  t.equal(verified.status, 200);
  t.ok(verified.body.resetToken.length > 40, 'a reset token');
  const twice = await anonymous.post('/api/v1/auth/password/verify', { body: { email: owner.email, code } });
  t.equal(twice.status, 400, 'the code works once');

  const weak = await anonymous.post('/api/v1/auth/password/reset', { body: { resetToken: verified.body.resetToken, newPassword: 'short' } });
  t.equal(weak.status, 400, 'the new password must be long enough');
  const reset = await anonymous.post('/api/v1/auth/password/reset', { body: { resetToken: verified.body.resetToken, newPassword: NEW_PASSWORD } });
  t.equal(reset.status, 204);
  const again = await anonymous.post('/api/v1/auth/password/reset', { body: { resetToken: verified.body.resetToken, newPassword: 'yet another passphrase' } });
  t.equal(again.status, 400, 'the reset token works once');
  t.match(again.body, { type: problemType('invalid-reset-token') });

  for (const [name, token] of [['registration', owner.refreshToken], ['laptop', laptopLogin.body.refreshToken as string]] as const) {
    const refresh = await anonymous.post('/api/v1/auth/refresh', { body: { refreshToken: token } });
    t.equal(refresh.status, 401, `the ${name} session has ended`);
  }
  const oldPassword = await anonymous.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD } });
  t.equal(oldPassword.status, 401, 'the old password no longer works');
  const newPassword = await anonymous.post('/api/v1/auth/login', { body: { email: owner.email, password: NEW_PASSWORD } });
  t.equal(newPassword.status, 200, 'the new one does');
  t.equal((newPassword.body.user as { emailVerified: boolean }).emailVerified, true, 'reading the reset code proved the inbox');
  env.ledger.add(NEW_PASSWORD);
  await env.assertNoSecretsInLog(t);
});

t.test('forgot answers the same for unknown emails and sends nothing', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const api = env.client();
  const known = await api.post('/api/v1/auth/password/forgot', { body: { email: owner.email } });
  const unknown = await api.post('/api/v1/auth/password/forgot', { body: { email: 'nobody@example.test' } });
  t.equal(known.status, unknown.status);
  t.same(known.body, unknown.body);
  t.ok(await env.mailbox.nothingFor('nobody@example.test', 1000), 'no mail for an unknown email');
  const verify = await api.post('/api/v1/auth/password/verify', { body: { email: 'nobody@example.test', code: '123456' } });
  t.equal(verify.status, 400, 'verify refuses an unknown email like a wrong code');
  t.match(verify.body, { type: problemType('invalid-code') });
  await env.assertNoSecretsInLog(t);
});

t.test('a reset code is valid for one hour; five wrong codes lock the verify step', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  await env.mailbox.next(owner.email);
  const api = env.client();
  await api.post('/api/v1/auth/password/forgot', { body: { email: owner.email } });
  const code = codeIn(await env.mailbox.next(owner.email));
  env.ledger.add(code);
  env.advanceClock(61 * 60 * 1000);
  const late = await api.post('/api/v1/auth/password/verify', { body: { email: owner.email, code } });
  t.equal(late.status, 400, 'expired after an hour');

  await api.post('/api/v1/auth/password/forgot', { body: { email: owner.email } });
  const fresh = codeIn(await env.mailbox.next(owner.email));
  env.ledger.add(fresh);
  const wrong = fresh === '999999' ? '999998' : '999999';
  for (let i = 0; i < 4; i++) await api.post('/api/v1/auth/password/verify', { body: { email: owner.email, code: wrong } });
  const locked = await api.post('/api/v1/auth/password/verify', { body: { email: owner.email, code: fresh } });
  t.equal(locked.status, 429, 'five wrong codes (one expired, four wrong) and even the right one waits');
  t.ok(Number(locked.headers.get('retry-after')) > 0);
  await env.assertNoSecretsInLog(t);
});

t.test('change password: the current one is checked; the other sessions end, this one stays', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const other = env.client();
  const otherLogin = await other.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD } });

  const wrong = await owner.client.post('/api/v1/auth/password/change', { token: owner.token, body: { currentPassword: 'not my password', newPassword: NEW_PASSWORD } });
  t.equal(wrong.status, 422);
  t.match(wrong.body, { type: problemType('wrong-password') });
  const changed = await owner.client.post('/api/v1/auth/password/change', { token: owner.token, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
  t.equal(changed.status, 204);
  env.ledger.add(NEW_PASSWORD);

  const otherRefresh = await other.post('/api/v1/auth/refresh', { body: { refreshToken: otherLogin.body.refreshToken } });
  t.equal(otherRefresh.status, 401, 'the other session has ended');
  const ownRefresh = await owner.client.post('/api/v1/auth/refresh', { body: { refreshToken: owner.refreshToken } });
  t.equal(ownRefresh.status, 200, 'the session that changed the password goes on');
  t.equal((await env.client().post('/api/v1/auth/login', { body: { email: owner.email, password: NEW_PASSWORD } })).status, 200);
  const unauthenticated = await env.client().post('/api/v1/auth/password/change', { body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
  t.equal(unauthenticated.status, 401);
  await env.assertNoSecretsInLog(t);
});
