// One's own devices, and the admins' security view of the tenant: every active session
// and the recent failed logins (and refresh-token reuse), as recorded in the log.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantScope } from '../../queries/scope.js';
import { securityEvents, tenantSessions, userSessions } from '../../queries/sessions.js';
import { commandContext } from '../auth.js';
import { clearSessionCookies } from '../cookies.js';
import { withPosition } from '../freshness.js';
import { Problem } from '../problems.js';
import { IdParams, PageQuery } from '../schemas.js';
import type { IdentityDeps } from './identity-schemas.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const Session = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    method: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().describe('The last sign-in or token refresh'),
    expiresAt: z.string(),
  })
  .meta({ id: 'Device' });
const MySession = Session.extend({ current: z.boolean() });
const TenantSession = Session.extend({ userName: z.string().nullable(), userEmail: z.string().nullable() });
const SecurityEvent = z.object({
  id: z.uuid(),
  kind: z.string(),
  userId: z.uuid(),
  email: z.string().nullable(),
  detail: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  occurredAt: z.string(),
});
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

const SecurityQuery = PageQuery.extend({
  days: z.coerce.number().int().min(1).max(90).default(30).describe('How far back, in days'),
  kind: z.enum(['login-failed', 'refresh-token-reuse']).optional(),
});

export const sessionRoutes: FastifyPluginAsyncZod<IdentityDeps> = async (app, { commands, db, fresh }) => {
  const secured = { tags: ['identity'], security: [{ bearer: [] }] };

  app.get(
    '/auth/sessions',
    { schema: { ...secured, response: { 200: z.object({ items: z.array(MySession) }), 401: Problem } }, preHandler: [app.authenticate, fresh('sessions')] },
    async (req) => {
      const items = await userSessions(tenantScope(db, req.user.tid), req.user.sub, app.clock());
      return { items: items.map((s) => ({ ...s, current: s.id === req.user.sid })) };
    },
  );

  app.delete(
    '/auth/sessions/:id',
    { schema: { ...secured, params: IdParams, response: { 204: z.null(), 401: Problem, 404: Problem } }, preHandler: app.authenticate },
    async (req, reply) => {
      const position = await commands.revokeSession(commandContext(req), req.params.id, 'revoked');
      if (position) withPosition(reply, position);
      if (req.params.id === req.user.sid) clearSessionCookies(reply, app.cookieSettings);
      return reply.code(204).send(null);
    },
  );

  const admin = { tags: ['security'], security: [{ bearer: [] }] };

  app.get(
    '/security/sessions',
    {
      schema: { ...admin, querystring: PageQuery, response: { 200: page(TenantSession), 401: Problem, 403: Problem } },
      preHandler: [app.can('audit:read'), fresh('sessions', 'users')],
    },
    async (req) => {
      const { items, total } = await tenantSessions(tenantScope(db, req.user.tid), app.clock(), req.query);
      return { items, total, page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  app.get(
    '/security/events',
    {
      schema: { ...admin, querystring: SecurityQuery, response: { 200: page(SecurityEvent), 401: Problem, 403: Problem } },
      preHandler: [app.can('audit:read'), fresh('security_events')],
    },
    async (req) => {
      const since = new Date(app.clock().getTime() - req.query.days * DAY_MS);
      const { items, total } = await securityEvents(tenantScope(db, req.user.tid), { ...req.query, since });
      return { items, total, page: req.query.page, pageSize: req.query.pageSize };
    },
  );
};
