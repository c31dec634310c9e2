// Sessions end to end over HTTP: cookies and Bearer, refresh rotation, reuse of a spent
// refresh token, logout, CSRF, and the list of one's devices.
import t from 'tap';
import { cookieAttributes } from '../support/http-client.js';
import { streams } from '../../src/events/streams.js';
import { identityEnv, PASSWORD } from '../support/identity.js';

const problemType = (slug: string) => `https://stockbook.dev/problems/${slug}`;

t.test('login sets the three cookies with the right attributes; Bearer works too', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const browser = env.client();
  const login = await browser.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD }, headers: { 'user-agent': 'TestBrowser/1.0' } });
  t.equal(login.status, 200);
  t.match(login.body, { tokenType: 'Bearer', expiresIn: 900, user: { id: owner.userId, tenantId: owner.tenantId, role: 'owner', emailVerified: false } });

  const access = cookieAttributes(login.setCookies, 'sb_access');
  t.match(access, { httponly: true, secure: true, samesite: 'Lax', path: '/api', 'max-age': '900' }, 'access cookie');
  const refresh = cookieAttributes(login.setCookies, 'sb_refresh');
  t.match(refresh, { httponly: true, secure: true, samesite: 'Lax', path: '/api/v1/auth' }, 'refresh cookie: auth routes only');
  t.ok(Math.abs(Number(refresh?.['max-age']) - 7 * 24 * 3600) < 10, 'refresh cookie: 7 days');
  const csrf = cookieAttributes(login.setCookies, 'sb_csrf');
  t.match(csrf, { secure: true, samesite: 'Lax', path: '/' }, 'csrf cookie');
  t.notOk(csrf?.httponly, 'the csrf cookie is readable by the page');

  const remembered = await env.client().post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD, rememberMe: true } });
  t.ok(Math.abs(Number(cookieAttributes(remembered.setCookies, 'sb_refresh')?.['max-age']) - 30 * 24 * 3600) < 10, 'rememberMe: 30 days');

  const viaCookie = await browser.get('/api/v1/me');
  t.equal(viaCookie.status, 200, 'the access cookie authenticates');
  const viaBearer = await env.client().get('/api/v1/me', { token: login.body.accessToken as string });
  t.equal(viaBearer.status, 200, 'so does Bearer');

  // Access JWT: HS256, 15 minutes, issuer and audience.
  const [header, payload] = (login.body.accessToken as string).split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
  t.match(header, { alg: 'HS256' });
  t.match(payload, { iss: 'stockbook', aud: 'stockbook-api', sub: owner.userId, tid: owner.tenantId, role: 'owner' });
  t.equal((payload!.exp as number) - (payload!.iat as number), 900);
  await env.assertNoSecretsInLog(t);
});

t.test('refresh rotates the token; presenting a spent one ends the session and is recorded', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const api = env.client();
  const first = await api.post('/api/v1/auth/refresh', { body: { refreshToken: owner.refreshToken } });
  t.equal(first.status, 200);
  const second = first.body.refreshToken as string;
  t.ok(second && second !== owner.refreshToken, 'a new refresh token');
  t.equal(first.setCookies.length, 0, 'a body refresh sets no cookies');

  const third = await api.post('/api/v1/auth/refresh', { body: { refreshToken: second } });
  t.equal(third.status, 200, 'the new one works once');

  const reuse = await api.post('/api/v1/auth/refresh', { body: { refreshToken: owner.refreshToken } });
  t.equal(reuse.status, 401);
  t.match(reuse.headers.get('content-type'), /application\/problem\+json/);
  t.match(reuse.body, { type: problemType('refresh-token-reused'), status: 401, detail: /already used/ });

  const after = await api.post('/api/v1/auth/refresh', { body: { refreshToken: third.body.refreshToken } });
  t.equal(after.status, 401, 'the whole session is over: its newest token is refused too');
  t.match(after.body, { type: problemType('invalid-refresh-token') });

  const events = (await env.system.store.readStream(streams.session(owner.tenantId, owner.sessionId))).map((e) => e.type);
  t.same(events.slice(-2), ['RefreshTokenReused', 'SessionRevoked'], 'a security event, then the revocation');

  const garbage = await api.post('/api/v1/auth/refresh', { body: { refreshToken: 'not-a-token' } });
  t.equal(garbage.status, 401);
  await env.assertNoSecretsInLog(t);
});

t.test('cookie sessions: refresh by cookie, CSRF on unsafe requests, logout revokes and clears', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const browser = env.client();
  await browser.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD } });

  const noCsrf = await browser.put('/api/v1/settings', {
    body: { currency: 'EUR', timezone: 'Europe/Berlin', lowStockThreshold: 5, expiryWarningDays: 14, alertEmails: true },
  });
  t.equal(noCsrf.status, 403, 'a cookie-authenticated PUT without the CSRF header is refused');
  t.match(noCsrf.body, { type: problemType('csrf-failed'), detail: /X-CSRF-Token/ });
  const wrongCsrf = await browser.put('/api/v1/settings', {
    headers: { 'x-csrf-token': 'forged' },
    body: { currency: 'EUR', timezone: 'Europe/Berlin', lowStockThreshold: 5, expiryWarningDays: 14, alertEmails: true },
  });
  t.equal(wrongCsrf.status, 403, 'a wrong CSRF header is refused');
  const withCsrf = await browser.put('/api/v1/settings', {
    csrf: true,
    body: { currency: 'EUR', timezone: 'Europe/Berlin', lowStockThreshold: 5, expiryWarningDays: 14, alertEmails: true },
  });
  t.equal(withCsrf.status, 200, 'with the double-submitted token it passes');
  t.equal((await browser.get('/api/v1/me')).status, 200, 'safe requests need no CSRF token');
  const bearer = await env.client().put('/api/v1/settings', {
    token: owner.token,
    body: { currency: 'EUR', timezone: 'Europe/Berlin', lowStockThreshold: 6, expiryWarningDays: 14, alertEmails: true },
  });
  t.equal(bearer.status, 200, 'Bearer requests need no CSRF token');

  const refreshNoCsrf = await browser.post('/api/v1/auth/refresh');
  t.equal(refreshNoCsrf.status, 403, 'a cookie refresh needs the CSRF header');
  const refreshed = await browser.post('/api/v1/auth/refresh', { csrf: true });
  t.equal(refreshed.status, 200, 'cookie refresh');
  t.notOk(refreshed.body.refreshToken, 'a cookie refresh does not put the refresh token in the body');
  t.ok(cookieAttributes(refreshed.setCookies, 'sb_refresh'), 'the rotated token is in the cookie');

  const logoutNoCsrf = await browser.post('/api/v1/auth/logout');
  t.equal(logoutNoCsrf.status, 403);
  const logout = await browser.post('/api/v1/auth/logout', { csrf: true });
  t.equal(logout.status, 204);
  t.match(cookieAttributes(logout.setCookies, 'sb_refresh'), { path: '/api/v1/auth' }, 'the refresh cookie is cleared');
  t.equal(browser.cookies.size, 0, 'no cookies left');
  t.equal((await browser.get('/api/v1/me')).status, 401, 'signed out');
  await env.assertNoSecretsInLog(t);
});

t.test('the refresh cookie travels only to the auth routes', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const browser = env.client();
  await browser.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD } });
  const seen: string[] = [];
  env.app.server.on('request', (req: { url?: string; headers: { cookie?: string } }) => {
    if (req.headers.cookie?.includes('sb_refresh=')) seen.push(req.url ?? '');
  });
  await browser.get('/api/v1/me');
  await browser.get('/api/v1/auth/sessions');
  t.same(seen, ['/api/v1/auth/sessions']);
});

t.test("devices: list one's sessions, revoke one; a revoked session cannot refresh", async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp();
  const laptop = env.client();
  const phone = env.client();
  const onLaptop = await laptop.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD }, headers: { 'user-agent': 'Laptop/1' } });
  const onPhone = await phone.post('/api/v1/auth/login', { body: { email: owner.email, password: PASSWORD }, headers: { 'user-agent': 'Phone/2' } });
  const position = onPhone.headers.get('x-log-position')!;

  const list = await laptop.get<{ items: { id: string; userAgent: string; ip: string; current: boolean; createdAt: string; lastUsedAt: string }[] }>('/api/v1/auth/sessions', {
    headers: { 'x-min-log-position': position },
  });
  t.equal(list.status, 200);
  t.equal(list.body.items.length, 3, 'registration, laptop and phone');
  const mine = list.body.items.find((s) => s.current)!;
  t.match(mine, { id: onLaptop.body.sessionId, userAgent: 'Laptop/1', ip: '127.0.0.1' });
  t.ok(mine.createdAt && mine.lastUsedAt);

  const revoked = await laptop.delete(`/api/v1/auth/sessions/${onPhone.body.sessionId as string}`, { csrf: true });
  t.equal(revoked.status, 204);
  const phoneRefresh = await phone.post('/api/v1/auth/refresh', { body: { refreshToken: onPhone.body.refreshToken } });
  t.equal(phoneRefresh.status, 401, 'the phone is signed out');

  const after = await laptop.get<{ items: { id: string }[] }>('/api/v1/auth/sessions', { headers: { 'x-min-log-position': revoked.headers.get('x-log-position')! } });
  t.notOk(after.body.items.some((s) => s.id === onPhone.body.sessionId), 'the revoked session is gone from the list');

  const unknown = await laptop.delete('/api/v1/auth/sessions/00000000-0000-7000-8000-000000000000', { csrf: true });
  t.equal(unknown.status, 404);
  await env.assertNoSecretsInLog(t);
});
