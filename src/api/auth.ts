// Authentication and authorization. Access tokens: HS256 pinned, issuer and audience
// checked, 15 minutes, from `Authorization: Bearer` or the httpOnly access cookie; a
// cookie-authenticated unsafe request must also pass the CSRF check. `app.can(p)` is
// the one permission gate for routes (the matrix is src/commands/permissions.ts).
import fastifyCookie from '@fastify/cookie';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { CommandContext } from '../commands/index.js';
import { can, needsVerifiedEmail, type Permission } from '../commands/permissions.js';
import { ACCESS_COOKIE, csrfPasses, isUnsafe, type CookieSettings } from './cookies.js';
import { sendProblem } from './problems.js';

export interface AccessClaims {
  sub: string;
  tid: string;
  role: string;
  /** The session this token belongs to. */
  sid: string;
  /** Whether the email was verified when the token was issued. */
  ev: boolean;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid access token is required (401 otherwise). */
    authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** preHandler: authenticated, and the role holds `permission` (403 otherwise). */
    can(permission: Permission): preHandlerAsyncHookHandler;
    issueAccessToken(claims: AccessClaims): string;
    cookieSettings: CookieSettings;
    /** The time commands are decided at (a test can move it; the system clock otherwise). */
    clock(): Date;
  }
}

const ISSUER = 'stockbook';
const AUDIENCE = 'stockbook-api';

export interface AuthOptions {
  secret: string;
  /** Secure cookies: true except in development over plain HTTP. */
  cookieSecure: boolean;
  clock?: (() => Date) | undefined;
}

export const authPlugin = fp(async (app: FastifyInstance, { secret, cookieSecure, clock }: AuthOptions) => {
  app.decorate('clock', clock ?? (() => new Date()));
  await app.register(fastifyCookie);
  await app.register(fastifyJwt, {
    secret,
    sign: { algorithm: 'HS256', iss: ISSUER, aud: AUDIENCE, expiresIn: '15m' },
    verify: { algorithms: ['HS256'], allowedIss: ISSUER, allowedAud: AUDIENCE },
  });
  app.decorate('cookieSettings', { secure: cookieSecure, secret });
  app.decorate('issueAccessToken', (claims: AccessClaims) => app.jwt.sign(claims));

  const authenticated = new WeakSet<FastifyRequest>();

  async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (authenticated.has(req)) return;
    const header = req.headers.authorization;
    const fromCookie = !header && req.cookies[ACCESS_COOKIE] ? req.cookies[ACCESS_COOKIE] : undefined;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : fromCookie;
    let claims: AccessClaims;
    try {
      if (!token) throw new Error('no token');
      claims = app.jwt.verify<AccessClaims>(token);
      if (typeof claims.sid !== 'string' || typeof claims.tid !== 'string') throw new Error('not an access token');
    } catch {
      reply.header('www-authenticate', 'Bearer');
      await sendProblem(req, reply, 401, 'unauthenticated', 'A valid access token is required.');
      return;
    }
    // A Bearer header cannot be sent by another site; a cookie can, so it needs the CSRF token.
    if (fromCookie && isUnsafe(req) && !csrfPasses(req, secret, claims.sid)) {
      await sendProblem(req, reply, 403, 'csrf-failed', 'This cookie-authenticated request needs the X-CSRF-Token header with the value of the sb_csrf cookie.');
      return;
    }
    req.user = claims;
    authenticated.add(req);
  }
  app.decorate('authenticate', authenticate);

  app.decorate('can', (permission: Permission): preHandlerAsyncHookHandler =>
    async function checkPermission(req: FastifyRequest, reply: FastifyReply) {
      await authenticate(req, reply);
      if (reply.sent) return;
      if (!can(req.user.role, permission)) {
        await sendProblem(req, reply, 403, 'forbidden', `Your role (${req.user.role}) does not allow this (${permission}).`, { permission });
        return;
      }
      if (needsVerifiedEmail.has(permission) && !req.user.ev) {
        await sendProblem(req, reply, 403, 'email-unverified', 'Verify your email address first (POST /auth/verify-email), then refresh your session.', {
          permission,
        });
      }
    },
  );
});

/** Who, for whom, from where: the metadata every event of this request carries. */
export function commandContext(req: FastifyRequest): CommandContext {
  return {
    tenantId: req.user.tid,
    actorId: req.user.sub,
    ...requestOrigin(req),
  };
}

/** The part of a command context that comes from the request alone (no user yet). */
export function requestOrigin(req: FastifyRequest): Omit<CommandContext, 'tenantId' | 'actorId'> {
  const userAgent = req.headers['user-agent'];
  return {
    correlationId: req.id,
    causationId: req.id,
    now: req.server.clock(),
    ip: req.ip,
    ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
  };
}
