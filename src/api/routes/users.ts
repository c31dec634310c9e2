// The tenant's users: the list, a role change (owner: a transfer of ownership), and
// deactivation. Users are never deleted: their history stays in the log.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Role } from '../../events/identity.js';
import { tenantScope } from '../../queries/scope.js';
import { getUser, listUsers } from '../../queries/users.js';
import { commandContext } from '../auth.js';
import { useIdempotency } from '../idempotency.js';
import { Problem, sendProblem } from '../problems.js';
import { CommandResult, IdParams, PageQuery } from '../schemas.js';
import { changedResult, type IdentityDeps } from './identity-schemas.js';

const User = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    status: z.string(),
    emailVerified: z.boolean(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'User' });
const UserList = z.object({ items: z.array(User), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
const ListQuery = PageQuery.extend({
  search: z.string().trim().max(200).optional(),
  role: Role.optional(),
  status: z.enum(['active', 'deactivated']).optional(),
});

export const userRoutes: FastifyPluginAsyncZod<IdentityDeps> = async (app, { commands, db, fresh }) => {
  app.addHook('preHandler', app.authenticate);
  useIdempotency(app, db);
  const secured = { tags: ['company'], security: [{ bearer: [] }] };
  const denied = { 401: Problem, 403: Problem };

  app.get(
    '/users',
    { schema: { ...secured, querystring: ListQuery, response: { 200: UserList, ...denied } }, preHandler: [app.can('users:manage'), fresh('users')] },
    async (req) => {
      const { items, total } = await listUsers(tenantScope(db, req.user.tid), req.query);
      return { items, total, page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  app.get(
    '/users/:id',
    { schema: { ...secured, params: IdParams, response: { 200: User, ...denied, 404: Problem } }, preHandler: [app.can('users:manage'), fresh('users')] },
    async (req, reply) => {
      const found = await getUser(tenantScope(db, req.user.tid), req.params.id);
      return found ?? sendProblem(req, reply, 404, 'not-found', 'No such user.');
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        ...secured,
        description: 'Changes the role. Giving the role "owner" transfers ownership (owner only); the previous owner becomes an admin.',
        params: IdParams,
        body: z.object({ role: Role }),
        response: { 200: CommandResult, ...denied, 404: Problem, 409: Problem },
      },
      preHandler: app.can('users:manage'),
    },
    async (req, reply) => changedResult(reply, await commands.changeRole(commandContext(req), req.params.id, req.body.role)),
  );

  app.post(
    '/users/:id/deactivate',
    {
      schema: { ...secured, params: IdParams, response: { 200: CommandResult, ...denied, 404: Problem } },
      preHandler: app.can('users:manage'),
    },
    async (req, reply) => changedResult(reply, await commands.deactivateUser(commandContext(req), req.params.id)),
  );
};
