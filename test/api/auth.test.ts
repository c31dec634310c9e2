import t from 'tap';
import { bearer, problem, registerAccount, testApp } from '../support/app.js';

t.test('register, log in, and see who I am', async (t) => {
  const { app } = await testApp(t);
  const account = await registerAccount(app, 'Acme Ltd');

  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: account.email.toUpperCase(), password: account.password },
  });
  t.equal(login.statusCode, 200, 'emails are case-insensitive');
  const { accessToken, user } = login.json();
  t.match(user, { id: account.userId, tenantId: account.tenantId, role: 'owner' });

  const me = await app.inject({
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${accessToken}`, 'x-min-log-position': account.position },
  });
  t.equal(me.statusCode, 200);
  t.match(me.json(), { user: { id: account.userId, email: account.email, role: 'owner' }, tenant: { id: account.tenantId, companyName: 'Acme Ltd' } });
});

t.test('login answers the same for a wrong password and an unknown email', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: account.email, password: 'not the password' } });
  const unknown = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.test', password: 'whatever123' } });
  t.equal(wrong.statusCode, 401);
  t.equal(unknown.statusCode, 401);
  t.same(problem(wrong).detail, problem(unknown).detail);
  t.equal(wrong.headers['content-type'], 'application/problem+json; charset=utf-8');
});

t.test('an email registers once, and the second attempt appends nothing', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const before = (await system.store.readAll()).length;
  const again = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { companyName: 'Other', name: 'X', email: account.email, password: 'another password' },
  });
  t.equal(again.statusCode, 409);
  t.equal(problem(again).type, 'https://stockbook.dev/problems/email-taken');
  t.equal((await system.store.readAll()).length, before, 'no event appended');
});

t.test('no password, hash only: the log never holds the plaintext', async (t) => {
  const { app, system } = await testApp(t, { projections: false });
  const account = await registerAccount(app);
  const log = JSON.stringify((await system.store.readAll()).map((e) => e.data));
  t.notOk(log.includes(account.password), 'plaintext password absent');
  t.match(log, /\$argon2id\$/, 'an argon2id hash is stored instead');
});

t.test('protected routes need a valid token', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const none = await app.inject({ url: '/api/v1/me' });
  t.equal(none.statusCode, 401);
  t.equal(problem(none).type, 'https://stockbook.dev/problems/unauthenticated');
  const forged = await app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' } });
  t.equal(forged.statusCode, 401, 'an unsigned (alg none) token is refused');
  const account = await registerAccount(app);
  const tampered = account.token.slice(0, -2) + (account.token.endsWith('A') ? 'BB' : 'AA');
  t.equal((await app.inject({ url: '/api/v1/me', headers: bearer({ ...account, token: tampered }) })).statusCode, 401);
});
