import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { permissionsOf } from '../../commands/permissions.js';
import { tenantScope } from '../../queries/scope.js';
import { me } from '../../queries/users.js';
import type { AppDeps } from '../app.js';
import { Problem, sendProblem } from '../problems.js';

const Me = z.object({
  user: z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: z.string(), emailVerified: z.boolean(), status: z.string() }),
  tenant: z.object({ id: z.uuid(), companyName: z.string(), defaultLocationId: z.uuid() }),
  role: z.string(),
  permissions: z.array(z.string()).describe('What this role may do (see the permission matrix)'),
  sessionId: z.uuid(),
});

export const meRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, fresh }) => {
  app.get(
    '/me',
    {
      schema: { tags: ['identity'], security: [{ bearer: [] }], response: { 200: Me, 401: Problem, 404: Problem } },
      preHandler: [app.authenticate, fresh('users', 'tenants')],
    },
    async (req, reply) => {
      const found = await me(tenantScope(db, req.user.tid), req.user.sub);
      if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such user.');
      // The read model knows the current role; the token may carry one up to 15 minutes old.
      const role = found.user.role;
      return { ...found, role, permissions: permissionsOf(role), sessionId: req.user.sid };
    },
  );
};
