// Google sign-in end to end, against a local JWKS server and tokens signed here: a
// valid token signs in (creating the company the first time); each bad token is refused
// with a problem that says why.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { streams } from '../../src/events/streams.js';
import { identityEnv } from '../support/identity.js';

const problemType = (slug: string) => `https://stockbook.dev/problems/${slug}`;

t.test('a first sign-in creates the company and its owner; the next one signs in to it', async (t) => {
  const env = await identityEnv(t, { google: true });
  const google = env.google!;
  const email = `grace-${randomUUID()}@example.test`;
  const api = env.client();

  const first = await api.post<{ created: boolean; user: { id: string; tenantId: string; role: string; emailVerified: boolean }; accessToken: string }>('/api/v1/auth/google', {
    body: { idToken: await google.idToken({ email, name: 'Grace Hopper' }), companyName: 'Navy Yard' },
  });
  t.equal(first.status, 201);
  t.match(first.body, { created: true, user: { role: 'owner', emailVerified: true } });
  const company = await api.get('/api/v1/company', { token: first.body.accessToken, headers: { 'x-min-log-position': first.headers.get('x-log-position')! } });
  t.match(company.body, { companyName: 'Navy Yard', ownerId: first.body.user.id });
  const invite = await api.post('/api/v1/invitations', { token: first.body.accessToken, body: { email: `x-${randomUUID()}@example.test`, role: 'viewer' } });
  t.equal(invite.status, 201, 'Google vouched for the email: it counts as verified');

  const again = await api.post<{ created: boolean; user: { id: string } }>('/api/v1/auth/google', { body: { idToken: await google.idToken({ email: email.toUpperCase() }) } });
  t.equal(again.status, 200);
  t.match(again.body, { created: false, user: { id: first.body.user.id } });

  const password = await api.post('/api/v1/auth/login', { body: { email, password: 'anything at all' } });
  t.equal(password.status, 401, 'a Google account has no password until a reset sets one');
  await env.assertNoSecretsInLog(t);
});

t.test('Google sign-in to an existing password account verifies its email', async (t) => {
  const env = await identityEnv(t, { google: true });
  const owner = await env.signUp();
  const res = await env.client().post<{ created: boolean; user: { id: string; emailVerified: boolean } }>('/api/v1/auth/google', {
    body: { idToken: await env.google!.idToken({ email: owner.email }) },
  });
  t.equal(res.status, 200);
  t.match(res.body, { created: false, user: { id: owner.userId, emailVerified: true } });
  await env.assertNoSecretsInLog(t);
});

t.test('bad tokens are refused, each with its reason', async (t) => {
  const env = await identityEnv(t, { google: true });
  const google = env.google!;
  const email = `eve-${randomUUID()}@example.test`;
  const cases = [
    { name: 'expired', token: await google.idToken({ email, expiresIn: -60 }), status: 401, type: 'invalid-google-token', reason: 'expired' },
    { name: 'wrong audience', token: await google.idToken({ email, aud: 'someone-else.apps.googleusercontent.com' }), status: 401, type: 'invalid-google-token', reason: 'audience' },
    { name: 'wrong issuer', token: await google.idToken({ email, iss: 'https://accounts.evil.example' }), status: 401, type: 'invalid-google-token', reason: 'issuer' },
    { name: 'bad signature', token: await google.idToken({ email, rogueKey: true }), status: 401, type: 'invalid-google-token', reason: 'signature' },
    { name: 'unverified email', token: await google.idToken({ email, emailVerified: false }), status: 403, type: 'google-email-unverified', reason: 'email-unverified' },
    { name: 'not a token', token: 'definitely.not.a-token', status: 401, type: 'invalid-google-token', reason: 'malformed' },
  ];
  for (const c of cases) {
    const res = await env.client().post('/api/v1/auth/google', { body: { idToken: c.token } });
    t.equal(res.status, c.status, `${c.name}: ${c.status}`);
    t.match(res.headers.get('content-type'), /^application\/problem\+json/, `${c.name}: problem+json`);
    t.match(res.body, { type: problemType(c.type), reason: c.reason, detail: String }, `${c.name}: says why`);
  }
  t.same(await env.system.store.readStream(streams.emailReservation(email)), [], 'nothing was appended: not even the email was claimed');
  await env.assertNoSecretsInLog(t);
});

t.test('without GOOGLE_CLIENT_ID the route says so', async (t) => {
  const env = await identityEnv(t);
  const res = await env.client().post('/api/v1/auth/google', { body: { idToken: 'x' } });
  t.equal(res.status, 501);
  t.match(res.body, { type: problemType('google-sign-in-disabled') });
});
