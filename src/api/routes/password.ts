// Passwords: forgot (a code by mail, 1 h) -> verify (code for a reset token) -> reset
// (ends every session); and change (knowing the current one; ends the other sessions).
// Forgot answers the same whether or not the email has an account, and at once: the
// work happens after the answer, so its timing tells nothing either.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../commands/index.js';
import { commandContext, requestOrigin } from '../auth.js';
import { withPosition } from '../freshness.js';
import { Problem, sendProblem } from '../problems.js';
import { failureLimit, perRoute } from '../rate-limit.js';
import { Code, Email, Password, type IdentityDeps } from './identity-schemas.js';

const MINUTE = 60_000;

const Accepted = z.object({ message: z.string() });
const ResetToken = z.object({ resetToken: z.string(), expiresAt: z.string() });

export const passwordRoutes: FastifyPluginAsyncZod<IdentityDeps> = async (app, { commands }) => {
  const tags = ['identity'];
  const wrongResetCodes = failureLimit(app, 'reset-code', 5, 15 * MINUTE, (req) => (req.body as { email: string }).email.trim().toLowerCase());
  const wrongCurrent = failureLimit(app, 'password-change', 5, 15 * MINUTE, (req) => req.user.sub);

  app.post(
    '/auth/password/forgot',
    {
      schema: { tags, body: z.object({ email: Email }), response: { 202: Accepted, 400: Problem, 429: Problem } },
      config: { rateLimit: perRoute(5, 15 * MINUTE) },
    },
    async (req, reply) => {
      const origin = requestOrigin(req);
      void commands.requestPasswordReset(req.body.email, origin).catch((err: unknown) => req.log.error({ err }, 'password reset request failed'));
      return reply.code(202).send({ message: 'If an account uses this email, a code to reset its password is on its way.' });
    },
  );

  app.post(
    '/auth/password/verify',
    {
      schema: { tags, body: z.object({ email: Email, code: Code }), response: { 200: ResetToken, 400: Problem, 429: Problem } },
      config: { rateLimit: perRoute(20, 15 * MINUTE) },
    },
    async (req, reply) => {
      const wait = await wrongResetCodes.blocked(req);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        return sendProblem(req, reply, 429, 'too-many-attempts', `Too many wrong codes. Try again in ${wait} seconds.`, { retryAfter: wait });
      }
      try {
        const { resetToken, expiresAt } = await commands.verifyResetCode(req.body.email, req.body.code, requestOrigin(req));
        return { resetToken, expiresAt: expiresAt.toISOString() };
      } catch (error) {
        if (error instanceof DomainError && error.code === 'invalid-code') await wrongResetCodes.fail(req);
        throw error;
      }
    },
  );

  app.post(
    '/auth/password/reset',
    {
      schema: { tags, body: z.object({ resetToken: z.string().min(1).max(200), newPassword: Password }), response: { 204: z.null(), 400: Problem } },
      config: { rateLimit: perRoute(20, 15 * MINUTE) },
    },
    async (req, reply) => {
      const position = await commands.resetPassword(req.body.resetToken, req.body.newPassword, requestOrigin(req));
      return withPosition(reply, position).code(204).send(null);
    },
  );

  app.post(
    '/auth/password/change',
    {
      schema: {
        tags,
        security: [{ bearer: [] }],
        body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password }),
        response: { 204: z.null(), 400: Problem, 401: Problem, 422: Problem, 429: Problem },
      },
      preHandler: app.authenticate,
    },
    async (req, reply) => {
      const wait = await wrongCurrent.blocked(req);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        return sendProblem(req, reply, 429, 'too-many-attempts', `Too many wrong passwords. Try again in ${wait} seconds.`, { retryAfter: wait });
      }
      try {
        const position = await commands.changePassword(commandContext(req), req.user.sid, req.body.currentPassword, req.body.newPassword);
        return withPosition(reply, position).code(204).send(null);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'wrong-password') await wrongCurrent.fail(req);
        throw error;
      }
    },
  );
};
