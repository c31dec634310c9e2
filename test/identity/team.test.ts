// The team end to end: invitations (mailed single-use codes), roles and the permission
// matrix on the routes, ownership transfer, deactivation.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { streams } from '../../src/events/streams.js';
import { identityEnv, PASSWORD } from '../support/identity.js';
import { invitationCodeIn } from '../support/smtp.js';

const problemType = (slug: string) => `https://stockbook.dev/problems/${slug}`;

t.test('invite, read the code from the mail, accept; the code works once', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ companyName: 'Acme', verify: true });
  const email = `mia-${randomUUID()}@example.test`;
  const invited = await owner.client.post<{ id: string }>('/api/v1/invitations', { token: owner.token, body: { email, role: 'manager' } });
  t.equal(invited.status, 201);
  t.notOk('code' in invited.body, 'the code is never in an answer, only in the mail');

  const mail = await env.mailbox.next(email);
  t.match(mail.subject, /Owner invites you to Acme on Stockbook/);
  t.match(mail.text, /as manager/);
  const code = invitationCodeIn(mail);
  env.ledger.add(code);

  const list = await owner.client.get<{ items: { id: string; email: string; role: string; status: string }[] }>('/api/v1/invitations', {
    token: owner.token,
    headers: { 'x-min-log-position': invited.headers.get('x-log-position')! },
  });
  t.match(list.body.items, [{ id: invited.body.id, email, role: 'manager', status: 'pending' }]);

  const api = env.client();
  const otherEmail = await api.post('/api/v1/auth/invitations/accept', { body: { code, name: 'Mia', email: 'not-invited@example.test', password: PASSWORD } });
  t.equal(otherEmail.status, 400, 'only the invited email can accept');
  t.match(otherEmail.body, { type: problemType('invalid-invitation') });
  const wrongCode = await api.post('/api/v1/auth/invitations/accept', { body: { code: code.slice(0, -4) + 'AAAA', name: 'Mia', email, password: PASSWORD } });
  t.equal(wrongCode.status, 400);

  const accepted = await api.post<{ user: { role: string; tenantId: string; emailVerified: boolean }; accessToken: string }>('/api/v1/auth/invitations/accept', {
    body: { code, name: 'Mia', email, password: PASSWORD },
  });
  t.equal(accepted.status, 201);
  t.match(accepted.body.user, { role: 'manager', tenantId: owner.tenantId, emailVerified: true });
  const me = await api.get('/api/v1/me', { token: accepted.body.accessToken, headers: { 'x-min-log-position': accepted.headers.get('x-log-position')! } });
  t.match(me.body, { tenant: { id: owner.tenantId, companyName: 'Acme' }, role: 'manager', permissions: ['inventory:read', 'inventory:write'] });

  const twice = await env.client().post('/api/v1/auth/invitations/accept', { body: { code, name: 'Mia', email, password: PASSWORD } });
  t.equal(twice.status, 400, 'single use');
  const after = await owner.client.get<{ items: { status: string }[] }>('/api/v1/invitations', { token: owner.token, headers: { 'x-min-log-position': accepted.headers.get('x-log-position')! } });
  t.match(after.body.items, [{ status: 'accepted' }]);
  const revokeAccepted = await owner.client.delete(`/api/v1/invitations/${invited.body.id}`, { token: owner.token });
  t.equal(revokeAccepted.status, 409);

  const taken = await owner.client.post('/api/v1/invitations', { token: owner.token, body: { email, role: 'viewer' } });
  t.equal(taken.status, 409, 'an email that already has an account cannot be invited');
  const asOwner = await owner.client.post('/api/v1/invitations', { token: owner.token, body: { email: 'x@example.test', role: 'owner' } });
  t.equal(asOwner.status, 400, 'nobody is invited as owner');
  await env.assertNoSecretsInLog(t);
});

t.test('a revoked invitation cannot be accepted', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const email = `late-${randomUUID()}@example.test`;
  const invited = await owner.client.post<{ id: string }>('/api/v1/invitations', { token: owner.token, body: { email, role: 'viewer' } });
  const code = invitationCodeIn(await env.mailbox.next(email));
  env.ledger.add(code);
  const revoked = await owner.client.delete(`/api/v1/invitations/${invited.body.id}`, { token: owner.token });
  t.equal(revoked.status, 200);
  const accept = await env.client().post('/api/v1/auth/invitations/accept', { body: { code, name: 'Late', email, password: PASSWORD } });
  t.equal(accept.status, 400);
  const list = await owner.client.get<{ items: { status: string }[] }>('/api/v1/invitations?status=revoked', {
    token: owner.token,
    headers: { 'x-min-log-position': revoked.headers.get('x-log-position')! },
  });
  t.match(list.body.items, [{ status: 'revoked' }]);
  await env.assertNoSecretsInLog(t);
});

t.test('every role gets exactly what the matrix gives it', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const admin = await env.addMember(owner, 'admin');
  const manager = await env.addMember(owner, 'manager');
  const salesperson = await env.addMember(owner, 'salesperson');
  const viewer = await env.addMember(owner, 'viewer');
  const settings = { currency: 'EUR', timezone: 'Europe/Paris', lowStockThreshold: 2, expiryWarningDays: 10, alertEmails: false };
  const checks: [string, string, string, unknown][] = [
    ['GET', '/api/v1/company', 'company:read', undefined],
    ['GET', '/api/v1/settings', 'company:read', undefined],
    ['PUT', '/api/v1/settings', 'settings:manage', settings],
    ['PATCH', '/api/v1/company', 'company:manage', { phone: '+33 1 23 45 67 89' }],
    ['GET', '/api/v1/users', 'users:manage', undefined],
    ['GET', '/api/v1/invitations', 'users:manage', undefined],
    ['GET', '/api/v1/security/sessions', 'audit:read', undefined],
    ['GET', '/api/v1/security/events', 'audit:read', undefined],
  ];
  const allowed: Record<string, string[]> = {
    'company:read': ['owner', 'admin', 'manager', 'salesperson', 'viewer'],
    'settings:manage': ['owner', 'admin'],
    'company:manage': ['owner'],
    'users:manage': ['owner', 'admin'],
    'audit:read': ['owner', 'admin'],
  };
  for (const [role, member] of Object.entries({ owner, admin, manager, salesperson, viewer })) {
    for (const [method, path, permission, body] of checks) {
      const res = await member.client.request(method, path, { token: member.token, ...(body ? { body } : {}) });
      const expected = allowed[permission]!.includes(role) ? 200 : 403;
      t.equal(res.status, expected, `${role} ${method} ${path}: ${expected}`);
      if (expected === 403) t.match(res.body, { type: problemType('forbidden'), permission });
    }
  }
  await env.assertNoSecretsInLog(t);
});

t.test('role changes: admins manage, nobody changes themselves or the owner; owner hands over ownership', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const admin = await env.addMember(owner, 'admin');
  const viewer = await env.addMember(owner, 'viewer');

  const promote = await admin.client.patch(`/api/v1/users/${viewer.userId}`, { token: admin.token, body: { role: 'salesperson' } });
  t.equal(promote.status, 200, 'an admin changes a role');
  const users = await owner.client.get<{ items: { id: string; role: string }[] }>('/api/v1/users', {
    token: owner.token,
    headers: { 'x-min-log-position': promote.headers.get('x-log-position')! },
  });
  t.match(users.body.items.find((u) => u.id === viewer.userId), { role: 'salesperson' });

  const self = await admin.client.patch(`/api/v1/users/${admin.userId}`, { token: admin.token, body: { role: 'owner' } });
  t.equal(self.status, 403, 'nobody changes their own role');
  const onOwner = await admin.client.patch(`/api/v1/users/${owner.userId}`, { token: admin.token, body: { role: 'viewer' } });
  t.equal(onOwner.status, 403, 'an admin cannot demote the owner');
  t.match(onOwner.body, { type: problemType('forbidden'), reason: /transfer of ownership/ });
  const grab = await admin.client.patch(`/api/v1/users/${viewer.userId}`, { token: admin.token, body: { role: 'owner' } });
  t.equal(grab.status, 403, 'only the owner hands over ownership');
  const deactivateOwner = await admin.client.post(`/api/v1/users/${owner.userId}/deactivate`, { token: admin.token });
  t.equal(deactivateOwner.status, 403, 'the owner cannot be deactivated');

  const transfer = await owner.client.patch(`/api/v1/users/${admin.userId}`, { token: owner.token, body: { role: 'owner' } });
  t.equal(transfer.status, 200, 'the owner hands the company to the admin');
  const company = await admin.client.get('/api/v1/company', { token: admin.token, headers: { 'x-min-log-position': transfer.headers.get('x-log-position')! } });
  t.match(company.body, { ownerId: admin.userId });
  const formerOwner = await owner.client.post<{ user: { role: string } }>('/api/v1/auth/refresh', { body: { refreshToken: owner.refreshToken } });
  t.equal(formerOwner.body.user.role, 'admin', 'the former owner is now an admin');
  const newOwner = await admin.client.post<{ user: { role: string } }>('/api/v1/auth/refresh', { body: { refreshToken: admin.refreshToken } });
  t.equal(newOwner.body.user.role, 'owner');
  const stale = await owner.client.patch(`/api/v1/users/${viewer.userId}`, { token: owner.token, body: { role: 'owner' } });
  t.equal(stale.status, 403, "an old token's role does not count: the write side reads the role from the stream");
  await env.assertNoSecretsInLog(t);
});

t.test('a deactivated user cannot sign in or refresh; the failed login is recorded', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const viewer = await env.addMember(owner, 'viewer');
  const self = await owner.client.post(`/api/v1/users/${owner.userId}/deactivate`, { token: owner.token });
  t.equal(self.status, 403, 'nobody deactivates themselves');
  const deactivated = await owner.client.post(`/api/v1/users/${viewer.userId}/deactivate`, { token: owner.token });
  t.equal(deactivated.status, 200);
  const login = await env.client().post('/api/v1/auth/login', { body: { email: viewer.email, password: PASSWORD } });
  t.equal(login.status, 401);
  t.match(login.body, { type: problemType('invalid-credentials') });
  const refresh = await viewer.client.post('/api/v1/auth/refresh', { body: { refreshToken: viewer.refreshToken } });
  t.equal(refresh.status, 401);
  const users = await owner.client.get<{ items: { id: string; status: string }[] }>(`/api/v1/users?status=deactivated`, {
    token: owner.token,
    headers: { 'x-min-log-position': deactivated.headers.get('x-log-position')! },
  });
  t.match(users.body.items, [{ id: viewer.userId, status: 'deactivated' }]);
  const changeRole = await owner.client.patch(`/api/v1/users/${viewer.userId}`, { token: owner.token, body: { role: 'admin' } });
  t.equal(changeRole.status, 409, 'a deactivated user gets no new role');
  const failures = (await env.system.store.readStream(streams.user(viewer.tenantId, viewer.userId))).filter((e) => e.type === 'LoginFailed').map((e) => e.data);
  t.match(failures, [{ userId: viewer.userId, reason: 'account-deactivated' }]);
  await env.assertNoSecretsInLog(t);
});

t.test('an invitation POSTed twice with the same Idempotency-Key is created and mailed once', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const email = `once-${randomUUID()}@example.test`;
  const send = () => owner.client.post<{ id: string }>('/api/v1/invitations', { token: owner.token, headers: { 'idempotency-key': 'invite-once' }, body: { email, role: 'viewer' } });
  const first = await send();
  const second = await send();
  t.equal(first.status, 201);
  t.equal(second.status, 201);
  t.equal(second.body.id, first.body.id, 'the first answer again');
  t.equal(second.headers.get('idempotent-replayed'), 'true');
  env.ledger.add(invitationCodeIn(await env.mailbox.next(email)));
  t.ok(await env.mailbox.nothingFor(email, 1000), 'one mail');
  await env.assertNoSecretsInLog(t);
});
