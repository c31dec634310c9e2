// Email verification: the 6-digit code mailed at sign-up (valid 24 h), and a new one on
// request (at most one a minute). Verifying hands out a new access token that says so.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../commands/index.js';
import { commandContext } from '../auth.js';
import { ACCESS_COOKIE, setAccessCookie } from '../cookies.js';
import { withPosition } from '../freshness.js';
import { Problem, sendProblem } from '../problems.js';
import { failureLimit, perRoute } from '../rate-limit.js';
import { accessTokenFor } from '../session-response.js';
import { Code, type IdentityDeps } from './identity-schemas.js';

const MINUTE = 60_000;

const Verified = z.object({ emailVerified: z.literal(true), accessToken: z.string().describe('Carries the verified email; the access cookie is renewed too') });
const Sent = z.object({ sent: z.literal(true), retryAfter: z.number().int().describe('Seconds before another code can be asked for') });

export const verificationRoutes: FastifyPluginAsyncZod<IdentityDeps> = async (app, { commands }) => {
  const wrongCodes = failureLimit(app, 'verify-email', 5, 15 * MINUTE, (req) => req.user.sub);
  const secured = { tags: ['identity'], security: [{ bearer: [] }] };

  app.post(
    '/auth/verify-email',
    {
      schema: { ...secured, body: z.object({ code: Code }), response: { 200: Verified, 400: Problem, 401: Problem, 429: Problem } },
      preHandler: app.authenticate,
    },
    async (req, reply) => {
      const wait = await wrongCodes.blocked(req);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        return sendProblem(req, reply, 429, 'too-many-attempts', `Too many wrong codes. Try again in ${wait} seconds.`, { retryAfter: wait });
      }
      const position = await commands.verifyEmail(commandContext(req), req.body.code).catch(async (error: unknown) => {
        if (error instanceof DomainError && error.code === 'invalid-code') await wrongCodes.fail(req);
        throw error;
      });
      if (position) withPosition(reply, position);
      const { sub, tid, role, sid } = req.user;
      const accessToken = accessTokenFor(app, { userId: sub, tenantId: tid, role, sessionId: sid, emailVerified: true });
      if (req.cookies[ACCESS_COOKIE]) setAccessCookie(reply, app.cookieSettings, accessToken);
      return { emailVerified: true as const, accessToken };
    },
  );

  app.post(
    '/auth/verify-email/resend',
    {
      schema: { ...secured, response: { 202: Sent, 401: Problem, 409: Problem, 429: Problem } },
      preHandler: app.authenticate,
      config: { rateLimit: perRoute(10, 60 * MINUTE) },
    },
    async (req, reply) => {
      const position = await commands.requestEmailVerification(commandContext(req));
      return withPosition(reply, position).code(202).send({ sent: true as const, retryAfter: 60 });
    },
  );
};
