// Invitations: an admin invites an email with a role; the code goes out by mail only
// (never in an answer); accepting it creates the user in the inviting tenant.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Role } from '../../events/identity.js';
import { listInvitations } from '../../queries/invitations.js';
import { tenantScope } from '../../queries/scope.js';
import { commandContext, requestOrigin } from '../auth.js';
import { useIdempotency } from '../idempotency.js';
import { withPosition } from '../freshness.js';
import { Problem } from '../problems.js';
import { perRoute } from '../rate-limit.js';
import { CommandResult, IdParams, PageQuery } from '../schemas.js';
import { SessionBody, sessionBody } from '../session-response.js';
import { changedResult, Email, Password, type IdentityDeps } from './identity-schemas.js';

const MINUTE = 60_000;

const NewInvitation = z.object({ email: Email, role: Role.exclude(['owner']) });
const Invitation = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: z.string(),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    invitedBy: z.uuid(),
    createdAt: z.string(),
    expiresAt: z.string(),
    acceptedBy: z.uuid().nullable(),
  })
  .meta({ id: 'Invitation' });
const InvitationList = z.object({ items: z.array(Invitation), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
const ListQuery = PageQuery.extend({ status: z.enum(['pending', 'accepted', 'revoked', 'expired']).optional() });

const AcceptBody = z.object({ code: z.string().trim().min(1).max(200), name: z.string().trim().min(1).max(200), email: Email, password: Password });
const Joined = SessionBody.extend({ tenantId: z.uuid(), userId: z.uuid() });

export const invitationRoutes: FastifyPluginAsyncZod<IdentityDeps> = async (app, deps) => {
  await app.register(manageInvitations, deps);
  await app.register(acceptInvitation, deps);
};

const manageInvitations: FastifyPluginAsyncZod<IdentityDeps> = async (app, { commands, db, fresh }) => {
  app.addHook('preHandler', app.authenticate);
  // Inviting twice would mail twice: a repeated POST with the same key answers the first time's answer.
  useIdempotency(app, db);
  const secured = { tags: ['company'], security: [{ bearer: [] }] };
  const denied = { 401: Problem, 403: Problem };

  app.post(
    '/invitations',
    {
      schema: { ...secured, body: NewInvitation, response: { 201: CommandResult, 400: Problem, ...denied, 409: Problem } },
      preHandler: app.can('users:manage'),
      config: { rateLimit: perRoute(50, 60 * MINUTE) },
    },
    async (req, reply) => {
      const invited = await commands.invite(commandContext(req), req.body);
      return reply.code(201).header('location', `${req.url}/${invited.id}`).send(changedResult(reply, invited));
    },
  );

  app.get(
    '/invitations',
    {
      schema: { ...secured, querystring: ListQuery, response: { 200: InvitationList, ...denied } },
      preHandler: [app.can('users:manage'), fresh('invitations')],
    },
    async (req) => {
      const { items, total } = await listInvitations(tenantScope(db, req.user.tid), { ...req.query, now: app.clock() });
      return { items: items.map((i) => ({ ...i, status: i.status as z.infer<typeof Invitation>['status'] })), total, page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  app.delete(
    '/invitations/:id',
    {
      schema: { ...secured, params: IdParams, response: { 200: CommandResult, ...denied, 404: Problem, 409: Problem } },
      preHandler: app.can('users:manage'),
    },
    async (req, reply) => changedResult(reply, await commands.revokeInvitation(commandContext(req), req.params.id)),
  );
};

const acceptInvitation: FastifyPluginAsyncZod<IdentityDeps> = async (app, { commands }) => {
  app.post(
    '/auth/invitations/accept',
    {
      schema: { tags: ['identity'], body: AcceptBody, response: { 201: Joined, 400: Problem, 409: Problem, 429: Problem } },
      config: { rateLimit: perRoute(10, 15 * MINUTE) },
    },
    async (req, reply) => {
      const origin = requestOrigin(req);
      const { tenantId, userId } = await commands.acceptInvitation(req.body, origin);
      const session = await commands.startSession({ tenantId, userId }, { rememberMe: false, method: 'invitation' }, origin);
      const body = sessionBody(app, reply, session, { cookies: true, bodyToken: true });
      return withPosition(reply, session.position).code(201).send({ ...body, tenantId, userId });
    },
  );
};
