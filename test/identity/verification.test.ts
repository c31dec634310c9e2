// Email verification end to end: the code arrives over SMTP, an unverified user may do
// most things but not hand out access, resend is rate-limited, codes expire after 24 h.
import t from 'tap';
import { identityEnv } from '../support/identity.js';
import { codeIn } from '../support/smtp.js';

const problemType = (slug: string) => `https://stockbook.dev/problems/${slug}`;
const HOUR = 60 * 60 * 1000;

t.test('sign up, read the code from the mail, verify; what an unverified user may do', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const mail = await env.mailbox.next(owner.email);
  t.match(mail.subject, /Verify your Stockbook email address/);
  t.match(mail.text, /valid for 24 hours/);
  t.match(mail.messageId, /@stockbook>$/, 'the message id comes from the event (receivers can drop repeats)');
  const code = codeIn(mail);
  env.ledger.add(code);
  t.notMatch(mail.subject, code, 'the code is not in the subject (subjects get logged)');

  const api = owner.client;
  const me = await api.get('/api/v1/me', { token: owner.token });
  t.match(me.body, { user: { emailVerified: false } });

  // Unverified: reads and inventory work, handing out access does not.
  const product = await api.post('/api/v1/products', { token: owner.token, body: { sku: 'W-1', name: 'Widget', price: '1.00' } });
  t.equal(product.status, 201, 'an unverified owner can create products');
  const settings = await api.get('/api/v1/settings', { token: owner.token });
  t.equal(settings.status, 200, 'and read the settings');
  const invite = await api.post('/api/v1/invitations', { token: owner.token, body: { email: 'someone@example.test', role: 'viewer' } });
  t.equal(invite.status, 403, 'but not invite anyone');
  t.match(invite.body, { type: problemType('email-unverified'), permission: 'users:manage' });

  const wrong = await api.post('/api/v1/auth/verify-email', { token: owner.token, body: { code: code === '000000' ? '111111' : '000000' } });
  t.equal(wrong.status, 400);
  t.match(wrong.body, { type: problemType('invalid-code') });
  const malformed = await api.post('/api/v1/auth/verify-email', { token: owner.token, body: { code: '12ab' } });
  t.equal(malformed.status, 400);
  t.match(malformed.body, { type: problemType('validation'), errors: [{ field: 'code' }] });

  const verified = await api.post<{ accessToken: string; emailVerified: boolean }>('/api/v1/auth/verify-email', { token: owner.token, body: { code } });
  t.equal(verified.status, 200);
  t.equal(verified.body.emailVerified, true);
  const after = await api.post('/api/v1/invitations', { token: verified.body.accessToken, body: { email: 'someone@example.test', role: 'viewer' } });
  t.equal(after.status, 201, 'the new access token carries the verification');

  const refreshed = await api.post<{ user: { emailVerified: boolean } }>('/api/v1/auth/refresh', { body: { refreshToken: owner.refreshToken } });
  t.equal(refreshed.body.user.emailVerified, true, 'so does any refreshed session');
  const meAfter = await api.get('/api/v1/me', { token: verified.body.accessToken, headers: { 'x-min-log-position': verified.headers.get('x-log-position')! } });
  t.match(meAfter.body, { user: { emailVerified: true } });

  const again = await api.post('/api/v1/auth/verify-email', { token: owner.token, body: { code } });
  t.equal(again.status, 200, 'verifying twice is harmless');
  const resend = await api.post('/api/v1/auth/verify-email/resend', { token: owner.token });
  t.equal(resend.status, 409);
  t.match(resend.body, { type: problemType('email-already-verified') });
  await env.assertNoSecretsInLog(t);
});

t.test('resend: at most one code a minute (429 with Retry-After); a new code replaces the old one', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const first = codeIn(await env.mailbox.next(owner.email));
  env.ledger.add(first);

  const tooSoon = await owner.client.post('/api/v1/auth/verify-email/resend', { token: owner.token });
  t.equal(tooSoon.status, 429);
  t.match(tooSoon.body, { type: problemType('too-many-requests'), retryAfter: Number });
  const retryAfter = Number(tooSoon.headers.get('retry-after'));
  t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After: ${retryAfter}`);

  env.advanceClock(61_000);
  const resent = await owner.client.post('/api/v1/auth/verify-email/resend', { token: owner.token });
  t.equal(resent.status, 202);
  const second = codeIn(await env.mailbox.next(owner.email));
  env.ledger.add(second);

  if (first !== second) {
    const old = await owner.client.post('/api/v1/auth/verify-email', { token: owner.token, body: { code: first } });
    t.equal(old.status, 400, 'the first code no longer works');
  }
  const ok = await owner.client.post('/api/v1/auth/verify-email', { token: owner.token, body: { code: second } });
  t.equal(ok.status, 200);
  await env.assertNoSecretsInLog(t);
});

t.test('a code is valid for 24 hours', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const code = codeIn(await env.mailbox.next(owner.email));
  env.ledger.add(code);
  env.advanceClock(24 * HOUR + 1000);
  const late = await owner.client.post('/api/v1/auth/verify-email', { token: owner.token, body: { code } });
  t.equal(late.status, 400);
  t.match(late.body, { type: problemType('invalid-code'), detail: /expired/ });
  await env.assertNoSecretsInLog(t);
});

t.test('guessing is cut off: after 5 wrong codes, 429 even for the right one', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const code = codeIn(await env.mailbox.next(owner.email));
  env.ledger.add(code);
  const wrong = code === '999999' ? '999998' : '999999';
  for (let i = 0; i < 5; i++) {
    const res = await owner.client.post('/api/v1/auth/verify-email', { token: owner.token, body: { code: wrong } });
    t.equal(res.status, 400, `wrong code ${i + 1}`);
  }
  const locked = await owner.client.post('/api/v1/auth/verify-email', { token: owner.token, body: { code } });
  t.equal(locked.status, 429);
  t.ok(Number(locked.headers.get('retry-after')) > 0, 'with Retry-After');
  t.match(locked.body, { type: problemType('too-many-attempts') });
  await env.assertNoSecretsInLog(t);
});
