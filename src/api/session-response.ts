// How a signed-in session is handed to the client: an access token in the body (and in
// the access cookie), the refresh token in the httpOnly refresh cookie and, for
// clients that do not keep cookies, in the body. A refresh answers the way it was
// asked: by cookie, or by body, so a page's script never sees a refresh token that it
// did not send itself.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { IssuedSession } from '../commands/session-service.js';
import { ACCESS_TOKEN_SECONDS, setSessionCookies } from './cookies.js';

export const SessionUser = z.object({ id: z.uuid(), tenantId: z.uuid(), role: z.string(), emailVerified: z.boolean() });

export const SessionBody = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('Seconds the access token is valid'),
    refreshToken: z.string().optional().describe('Only for clients that do not use cookies; browsers get the httpOnly cookie'),
    refreshExpiresAt: z.string(),
    sessionId: z.uuid(),
    user: SessionUser,
  })
  .meta({ id: 'Session' });
export type SessionBody = z.infer<typeof SessionBody>;

export function accessTokenFor(app: FastifyInstance, s: { userId: string; tenantId: string; role: string; sessionId: string; emailVerified: boolean }): string {
  return app.issueAccessToken({ sub: s.userId, tid: s.tenantId, role: s.role, sid: s.sessionId, ev: s.emailVerified });
}

export function sessionBody(
  app: FastifyInstance,
  reply: FastifyReply,
  session: IssuedSession,
  transport: { cookies: boolean; bodyToken: boolean },
): SessionBody {
  const accessToken = accessTokenFor(app, session);
  if (transport.cookies) setSessionCookies(reply, app.cookieSettings, { ...session, accessToken }, app.clock());
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: ACCESS_TOKEN_SECONDS,
    ...(transport.bodyToken ? { refreshToken: session.refreshToken } : {}),
    refreshExpiresAt: session.refreshExpiresAt.toISOString(),
    sessionId: session.sessionId,
    user: { id: session.userId, tenantId: session.tenantId, role: session.role, emailVerified: session.emailVerified },
  };
}
