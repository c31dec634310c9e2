// Tenant isolation: every route of identity and the company, called with another
// tenant's ids, codes and tokens, answers 4xx and never shows the other tenant's data.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { encodeToken } from '../../src/commands/secrets.js';
import { streams } from '../../src/events/streams.js';
import { formatPosition } from '../../src/eventstore/port.js';
import { identityEnv, PASSWORD } from '../support/identity.js';
import { codeIn, invitationCodeIn } from '../support/smtp.js';

t.test("tenant B reaches nothing of tenant A's", async (t) => {
  const env = await identityEnv(t);
  const a = await env.signUp({ companyName: 'Alpha Secret Co', verify: true });
  const aViewer = await env.addMember(a, 'viewer');
  const pendingEmail = `pending-${randomUUID()}@example.test`;
  const aInvitation = await a.client.post<{ id: string }>('/api/v1/invitations', { token: a.token, body: { email: pendingEmail, role: 'manager' } });
  const aInvitationCode = invitationCodeIn(await env.mailbox.next(pendingEmail));
  await a.client.post('/api/v1/auth/password/forgot', { body: { email: aViewer.email } });
  const aResetCode = codeIn(await env.mailbox.next(aViewer.email));
  env.ledger.add(aInvitationCode, aResetCode);

  const b = await env.signUp({ companyName: 'Beta', verify: true });
  const bViewer = await env.addMember(b, 'viewer');
  // The last write of the setup: the B viewer's session.
  const last = (await env.system.store.readStream(streams.session(bViewer.tenantId, bViewer.sessionId))).at(-1)!;
  const wait = { 'x-min-log-position': formatPosition(last.position) };

  // Anything of A that must never show up in an answer to B.
  const secretsOfA = [a.tenantId, a.userId, a.email, aViewer.userId, aViewer.email, aViewer.sessionId, a.sessionId, aInvitation.body.id, pendingEmail, 'Alpha Secret Co'];
  const calls: { name: string; method: string; path: string; token?: string; body?: unknown; expect: number[] }[] = [
    // A's ids with B's owner token.
    { name: "revoke A's session", method: 'DELETE', path: `/api/v1/auth/sessions/${aViewer.sessionId}`, token: b.token, expect: [404] },
    { name: "read A's user", method: 'GET', path: `/api/v1/users/${aViewer.userId}`, token: b.token, expect: [404] },
    { name: "change A's user's role", method: 'PATCH', path: `/api/v1/users/${aViewer.userId}`, token: b.token, body: { role: 'admin' }, expect: [404] },
    { name: "make A's user B's owner", method: 'PATCH', path: `/api/v1/users/${aViewer.userId}`, token: b.token, body: { role: 'owner' }, expect: [404] },
    { name: "deactivate A's user", method: 'POST', path: `/api/v1/users/${aViewer.userId}/deactivate`, token: b.token, expect: [404] },
    { name: "deactivate A's owner", method: 'POST', path: `/api/v1/users/${a.userId}/deactivate`, token: b.token, expect: [404] },
    { name: "revoke A's invitation", method: 'DELETE', path: `/api/v1/invitations/${aInvitation.body.id}`, token: b.token, expect: [404] },
    // A's codes and tokens presented by B.
    { name: "verify B's email with A's reset code", method: 'POST', path: '/api/v1/auth/verify-email', token: bViewer.token, body: { code: aResetCode }, expect: [200, 400] },
    { name: "A's reset code with B's email", method: 'POST', path: '/api/v1/auth/password/verify', body: { email: bViewer.email, code: aResetCode }, expect: [400] },
    { name: "A's invitation code with B's email", method: 'POST', path: '/api/v1/auth/invitations/accept', body: { code: aInvitationCode, name: 'B', email: bViewer.email, password: PASSWORD }, expect: [400, 409] },
    { name: "A's refresh token with B's access token", method: 'POST', path: '/api/v1/auth/refresh', token: b.token, body: { refreshToken: encodeToken({ tenantId: b.tenantId, id: aViewer.sessionId }) }, expect: [401] },
    { name: "a token naming A's tenant and B's session", method: 'POST', path: '/api/v1/auth/refresh', body: { refreshToken: encodeToken({ tenantId: a.tenantId, id: b.sessionId }) }, expect: [401] },
    { name: "a reset token naming A's user", method: 'POST', path: '/api/v1/auth/password/reset', body: { resetToken: encodeToken({ tenantId: a.tenantId, id: aViewer.userId }), newPassword: 'taken over at last!' }, expect: [400] },
    { name: "logout with a token naming A's session", method: 'POST', path: '/api/v1/auth/logout', body: { refreshToken: encodeToken({ tenantId: a.tenantId, id: aViewer.sessionId }) }, expect: [204] },
    // B's viewer on the admin routes.
    { name: 'viewer lists users', method: 'GET', path: '/api/v1/users', token: bViewer.token, expect: [403] },
    { name: 'viewer invites', method: 'POST', path: '/api/v1/invitations', token: bViewer.token, body: { email: 'x@example.test', role: 'admin' }, expect: [403] },
    { name: 'viewer lists invitations', method: 'GET', path: '/api/v1/invitations', token: bViewer.token, expect: [403] },
    { name: 'viewer changes settings', method: 'PUT', path: '/api/v1/settings', token: bViewer.token, body: { currency: 'EUR', timezone: 'UTC', lowStockThreshold: 0, expiryWarningDays: 1, alertEmails: true }, expect: [403] },
    { name: 'viewer changes the company', method: 'PATCH', path: '/api/v1/company', token: bViewer.token, body: { companyName: 'Mine now' }, expect: [403] },
    { name: 'viewer promotes themselves', method: 'PATCH', path: `/api/v1/users/${bViewer.userId}`, token: bViewer.token, body: { role: 'owner' }, expect: [403] },
    { name: 'viewer reads the security view', method: 'GET', path: '/api/v1/security/events', token: bViewer.token, expect: [403] },
    { name: 'viewer reads all sessions', method: 'GET', path: '/api/v1/security/sessions', token: bViewer.token, expect: [403] },
    // B's own lists and documents: 200, but only B's.
    { name: "B's users", method: 'GET', path: '/api/v1/users?search=a', token: b.token, expect: [200] },
    { name: "B's invitations", method: 'GET', path: '/api/v1/invitations', token: b.token, expect: [200] },
    { name: "B's sessions", method: 'GET', path: '/api/v1/auth/sessions', token: b.token, expect: [200] },
    { name: "B's security events", method: 'GET', path: '/api/v1/security/events', token: b.token, expect: [200] },
    { name: "B's active sessions", method: 'GET', path: '/api/v1/security/sessions', token: b.token, expect: [200] },
    { name: "B's company", method: 'GET', path: '/api/v1/company', token: b.token, expect: [200] },
    { name: "B's settings", method: 'GET', path: '/api/v1/settings', token: b.token, expect: [200] },
    { name: 'B: me', method: 'GET', path: '/api/v1/me', token: b.token, expect: [200] },
    { name: "B's company patched", method: 'PATCH', path: '/api/v1/company', token: b.token, body: { legalName: 'Beta Ltd' }, expect: [200] },
    { name: "B's settings put", method: 'PUT', path: '/api/v1/settings', token: b.token, body: { currency: 'EUR', timezone: 'UTC', lowStockThreshold: 1, expiryWarningDays: 1, alertEmails: false }, expect: [200] },
    { name: "B's password changed", method: 'POST', path: '/api/v1/auth/password/change', token: b.token, body: { currentPassword: PASSWORD, newPassword: PASSWORD }, expect: [204] },
    { name: "B's resend", method: 'POST', path: '/api/v1/auth/verify-email/resend', token: b.token, expect: [409] },
    // A's email addresses through the anonymous routes: the same answers as for anyone.
    { name: "forgot for A's email", method: 'POST', path: '/api/v1/auth/password/forgot', body: { email: a.email }, expect: [202] },
    { name: "register A's email", method: 'POST', path: '/api/v1/auth/register', body: { companyName: 'X', name: 'X', email: a.email, password: PASSWORD }, expect: [409] },
    { name: "login as A with B's password", method: 'POST', path: '/api/v1/auth/login', body: { email: a.email, password: 'B has no idea' }, expect: [401] },
    { name: 'google, not configured', method: 'POST', path: '/api/v1/auth/google', body: { idToken: 'x' }, expect: [501] },
    { name: 'logout B', method: 'POST', path: '/api/v1/auth/logout', token: bViewer.token, expect: [204] },
  ];
  for (const call of calls) {
    const res = await env.client().request(call.method, call.path, {
      ...(call.token ? { token: call.token } : {}),
      ...(call.body !== undefined ? { body: call.body } : {}),
      headers: wait,
    });
    t.ok(call.expect.includes(res.status), `${call.name}: ${res.status} (expected ${call.expect.join(' or ')})`);
    // A problem's `instance` echoes the caller's own URL: that is not A's data.
    const { instance: _, ...answer } = (res.body ?? {}) as Record<string, unknown>;
    const text = JSON.stringify(answer);
    const leaked = secretsOfA.filter((s) => text.includes(s));
    t.same(leaked, [], `${call.name}: nothing of A in the answer`);
  }

  // And A is as it was.
  const users = await a.client.get<{ items: { id: string; role: string; status: string }[] }>('/api/v1/users', { token: a.token, headers: wait });
  t.match(users.body.items.find((u) => u.id === aViewer.userId), { role: 'viewer', status: 'active' });
  const invitations = await a.client.get<{ items: { status: string }[] }>('/api/v1/invitations', { token: a.token, headers: wait });
  t.match(invitations.body.items, [{ status: 'pending' }]);
  const refresh = await aViewer.client.post('/api/v1/auth/refresh', { body: { refreshToken: aViewer.refreshToken } });
  t.equal(refresh.status, 200, "A's viewer is still signed in");
  const company = await a.client.get('/api/v1/company', { token: a.token });
  t.match(company.body, { companyName: 'Alpha Secret Co', legalName: null });
  await env.assertNoSecretsInLog(t);
});
