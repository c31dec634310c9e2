// Every route of identity and the company (API.md sections Identity and Company).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authRoutes } from './auth.js';
import { companyRoutes } from './company.js';
import type { IdentityDeps } from './identity-schemas.js';
import { invitationRoutes } from './invitations.js';
import { meRoutes } from './me.js';
import { passwordRoutes } from './password.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';
import { verificationRoutes } from './verification.js';

export const identityRoutes: FastifyPluginAsyncZod<IdentityDeps> = async (app, deps) => {
  await app.register(authRoutes, deps);
  await app.register(verificationRoutes, deps);
  await app.register(passwordRoutes, deps);
  await app.register(sessionRoutes, deps);
  await app.register(meRoutes, deps);
  await app.register(companyRoutes, deps);
  await app.register(userRoutes, deps);
  await app.register(invitationRoutes, deps);
};
