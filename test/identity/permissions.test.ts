// The permission matrix: what the issue asks of each role, that the README shows the
// matrix as it is, and that `app.can` answers 401/403 as problem+json.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { z } from 'zod';
import { can, permissionTable, permissions, permissionsOf, roles, type Permission } from '../../src/commands/permissions.js';
import { bearer, problem, registerAccount, testApp } from '../support/app.js';

t.test('each role, as the issue describes it', async (t) => {
  const all = Object.keys(permissions) as Permission[];
  t.same(permissionsOf('owner'), all, 'the owner can do everything, including transferring ownership');
  t.ok(permissionsOf('viewer').every((p) => p.endsWith(':read')), 'a viewer only reads');
  t.ok(can('viewer', 'inventory:read') && can('viewer', 'sales:read'));
  t.same(permissionsOf('salesperson'), ['inventory:read', 'sales:read', 'sales:write', 'company:read'], 'a salesperson sells and reads stock');
  for (const p of ['inventory:write', 'sales:void'] as const) t.ok(can('manager', p), `a manager: ${p}`);
  t.notOk(can('manager', 'users:manage'));
  for (const p of ['users:manage', 'settings:manage', 'audit:read'] as const) t.ok(can('admin', p), `an admin: ${p}`);
  t.notOk(can('admin', 'ownership:transfer'), 'only the owner transfers ownership');
  t.notOk(can('nobody', 'inventory:read'), 'an unknown role can do nothing');
  t.equal(roles.length, 5);
});

t.test('the README shows this very matrix', async (t) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  t.ok(readme.includes(permissionTable()), 'README.md contains permissionTable() verbatim (regenerate it if the matrix changed)');
});

t.test('app.can: 401 without a token, 403 problem+json for a role without the permission', async (t) => {
  const { app } = await testApp(t, { projections: false });
  app.get('/probe', { preHandler: app.can('audit:read') }, async () => ({ ok: true }));
  app.get('/probe-verified', { preHandler: app.can('users:manage'), schema: { response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: true }));
  const owner = await registerAccount(app);
  t.equal((await app.inject({ url: '/probe' })).statusCode, 401);
  const ok = await app.inject({ url: '/probe', headers: bearer(owner) });
  t.equal(ok.statusCode, 200);
  const viewerToken = app.issueAccessToken({ sub: owner.userId, tid: owner.tenantId, role: 'viewer', sid: owner.userId, ev: true });
  const denied = await app.inject({ url: '/probe', headers: { authorization: `Bearer ${viewerToken}` } });
  t.equal(denied.statusCode, 403);
  t.match(denied.headers['content-type'], /^application\/problem\+json/);
  t.match(problem(denied), { type: 'https://stockbook.dev/problems/forbidden', status: 403, detail: /viewer.*audit:read/ });
  const unverified = await app.inject({ url: '/probe-verified', headers: bearer(owner) });
  t.equal(unverified.statusCode, 403, 'users:manage needs a verified email');
  t.match(problem(unverified), { type: 'https://stockbook.dev/problems/email-unverified' });
});
