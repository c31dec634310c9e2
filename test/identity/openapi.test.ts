// Every route of identity and the company is in the OpenAPI document, with its schemas.
import t from 'tap';
import { testApp } from '../support/app.js';

t.test('the identity routes are documented', async (t) => {
  const { app } = await testApp(t, { projections: false });
  const res = await app.inject({ url: '/api/openapi.json' });
  t.equal(res.statusCode, 200);
  const doc = res.json<{ paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>> }>();
  const routes: [string, string][] = [
    ['post', '/auth/register'],
    ['post', '/auth/login'],
    ['post', '/auth/refresh'],
    ['post', '/auth/logout'],
    ['post', '/auth/verify-email'],
    ['post', '/auth/verify-email/resend'],
    ['post', '/auth/password/forgot'],
    ['post', '/auth/password/verify'],
    ['post', '/auth/password/reset'],
    ['post', '/auth/password/change'],
    ['post', '/auth/google'],
    ['post', '/auth/invitations/accept'],
    ['get', '/auth/sessions'],
    ['delete', '/auth/sessions/{id}'],
    ['get', '/me'],
    ['get', '/company'],
    ['patch', '/company'],
    ['get', '/settings'],
    ['put', '/settings'],
    ['get', '/users'],
    ['get', '/users/{id}'],
    ['patch', '/users/{id}'],
    ['post', '/users/{id}/deactivate'],
    ['post', '/invitations'],
    ['get', '/invitations'],
    ['delete', '/invitations/{id}'],
    ['get', '/security/sessions'],
    ['get', '/security/events'],
  ];
  for (const [method, path] of routes) {
    const op = doc.paths[`/api/v1${path}`]?.[method];
    t.ok(op, `${method.toUpperCase()} ${path}`);
    t.ok(Object.keys(op?.responses ?? {}).some((s) => s.startsWith('4')), `${method.toUpperCase()} ${path}: its errors are documented`);
  }
  t.ok(doc.paths['/api/v1/auth/login']?.post?.requestBody, 'request bodies come from the zod schemas');
});
