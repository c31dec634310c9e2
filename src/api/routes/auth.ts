// Signing up and in, refreshing and ending sessions: password, Google, cookies or Bearer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../commands/index.js';
import { decodeToken } from '../../commands/secrets.js';
import { formatPosition } from '../../eventstore/port.js';
import { requestOrigin } from '../auth.js';
import { clearSessionCookies, csrfPasses, REFRESH_COOKIE } from '../cookies.js';
import { withPosition } from '../freshness.js';
import { GoogleTokenRejected, googleRejectionDetail } from '../google.js';
import { Problem, sendProblem } from '../problems.js';
import { loginLockout, perRoute } from '../rate-limit.js';
import { SessionBody, sessionBody } from '../session-response.js';
import { Email, Password, type IdentityDeps } from './identity-schemas.js';

const MINUTE = 60_000;

const RegisterBody = z.object({
  companyName: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email: Email,
  password: Password,
});
const Registered = SessionBody.extend({ tenantId: z.uuid(), userId: z.uuid(), position: z.string() });

const LoginBody = z.object({ email: Email, password: z.string().min(1).max(200), rememberMe: z.boolean().optional() });
const RefreshBody = z.object({ refreshToken: z.string().max(200).optional() }).nullish();
const GoogleBody = z.object({
  idToken: z.string().min(1).max(8192),
  /** For a first sign-in that creates the company. */
  companyName: z.string().trim().min(1).max(200).optional(),
  rememberMe: z.boolean().optional(),
});
const GoogleSession = SessionBody.extend({ created: z.boolean().describe('True when this sign-in created the company and its owner') });

const errors = { 400: Problem, 401: Problem, 403: Problem, 429: Problem };

export const authRoutes: FastifyPluginAsyncZod<IdentityDeps> = async (app, { commands, google }) => {
  const lockout = loginLockout(app, (req) => (req.body as { email?: string } | undefined)?.email?.trim().toLowerCase() ?? '');
  const tags = ['identity'];

  app.post(
    '/auth/register',
    {
      schema: { tags, body: RegisterBody, response: { 201: Registered, 409: Problem, 400: Problem } },
      config: { rateLimit: perRoute(20, 10 * MINUTE) },
    },
    async (req, reply) => {
      const origin = requestOrigin(req);
      const { tenantId, userId } = await commands.registerCompany(req.body, origin);
      const session = await commands.startSession({ tenantId, userId }, { rememberMe: false, method: 'registration' }, origin);
      const body = sessionBody(app, reply, session, { cookies: true, bodyToken: true });
      return withPosition(reply, session.position)
        .code(201)
        .send({ ...body, tenantId, userId, position: formatPosition(session.position) });
    },
  );

  app.post(
    '/auth/login',
    {
      schema: { tags, body: LoginBody, response: { 200: SessionBody, ...errors } },
      config: { rateLimit: perRoute(60, MINUTE) },
    },
    async (req, reply) => {
      const wait = await lockout.blocked(req);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        return sendProblem(req, reply, 429, 'login-locked', `Too many failed sign-ins. Try again in ${wait} seconds.`, { retryAfter: wait });
      }
      const origin = requestOrigin(req);
      const who = await commands.authenticate(req.body.email, req.body.password, origin).catch(async (error: unknown) => {
        if (error instanceof DomainError && error.code === 'invalid-credentials') await lockout.fail(req);
        throw error;
      });
      const session = await commands.startSession(who, { rememberMe: req.body.rememberMe ?? false, method: 'password' }, origin);
      return withPosition(reply, session.position).send(sessionBody(app, reply, session, { cookies: true, bodyToken: true }));
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: { tags, body: RefreshBody, response: { 200: SessionBody, ...errors } },
      config: { rateLimit: perRoute(60, MINUTE) },
    },
    async (req, reply) => {
      const fromBody = req.body?.refreshToken;
      const fromCookie = fromBody ? undefined : req.cookies[REFRESH_COOKIE];
      const token = fromBody ?? fromCookie;
      if (!token) return sendProblem(req, reply, 401, 'invalid-refresh-token', 'Send the refresh token in the body ({ refreshToken }) or the refresh cookie.');
      if (fromCookie) {
        const parts = decodeToken(fromCookie);
        if (parts && !csrfPasses(req, app.cookieSettings.secret, parts.id)) {
          return sendProblem(req, reply, 403, 'csrf-failed', 'A cookie refresh needs the X-CSRF-Token header with the value of the sb_csrf cookie.');
        }
      }
      try {
        const session = await commands.refreshSession(token, requestOrigin(req));
        return withPosition(reply, session.position).send(sessionBody(app, reply, session, { cookies: Boolean(fromCookie), bodyToken: Boolean(fromBody) }));
      } catch (error) {
        if (fromCookie) clearSessionCookies(reply, app.cookieSettings);
        throw error;
      }
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags, body: RefreshBody, response: { 204: z.null(), 401: Problem, 403: Problem } } },
    async (req, reply) => {
      const fromBody = req.body?.refreshToken;
      const fromCookie = fromBody ? undefined : req.cookies[REFRESH_COOKIE];
      const token = fromBody ?? fromCookie;
      if (token) {
        const parts = decodeToken(token);
        if (fromCookie && parts && !csrfPasses(req, app.cookieSettings.secret, parts.id)) {
          return sendProblem(req, reply, 403, 'csrf-failed', 'A cookie logout needs the X-CSRF-Token header with the value of the sb_csrf cookie.');
        }
        await commands.logoutWithRefreshToken(token, requestOrigin(req));
      } else {
        await app.authenticate(req, reply);
        if (reply.sent) return reply;
        await commands.revokeSession({ tenantId: req.user.tid, actorId: req.user.sub, ...requestOrigin(req) }, req.user.sid, 'logout');
      }
      clearSessionCookies(reply, app.cookieSettings);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/google',
    {
      schema: { tags, body: GoogleBody, response: { 200: GoogleSession, 201: GoogleSession, ...errors, 501: Problem, 503: Problem } },
      config: { rateLimit: perRoute(30, MINUTE) },
    },
    async (req, reply) => {
      if (!google) return sendProblem(req, reply, 501, 'google-sign-in-disabled', 'Google sign-in is not configured here (GOOGLE_CLIENT_ID).');
      let identity;
      try {
        identity = await google(req.body.idToken);
      } catch (error) {
        if (!(error instanceof GoogleTokenRejected)) throw error;
        const { reason } = error;
        if (reason === 'unavailable') reply.header('retry-after', '5');
        const [status, slug] =
          reason === 'email-unverified' ? [403, 'google-email-unverified'] : reason === 'unavailable' ? [503, 'google-unavailable'] : [401, 'invalid-google-token'];
        return sendProblem(req, reply, status, slug, googleRejectionDetail[reason], { reason });
      }
      const origin = requestOrigin(req);
      const companyName = req.body.companyName ?? identity.hostedDomain ?? `${identity.name}'s company`;
      const who = await commands.signInWithGoogle({ email: identity.email, name: identity.name, companyName }, origin);
      const session = await commands.startSession(who, { rememberMe: req.body.rememberMe ?? false, method: 'google' }, origin);
      const body = sessionBody(app, reply, session, { cookies: true, bodyToken: true });
      return withPosition(reply, session.position)
        .code(who.created ? 201 : 200)
        .send({ ...body, created: who.created });
    },
  );
};
