// Browser sessions: three cookies. The access token (httpOnly, every API route), the
// refresh token (httpOnly, sent only to the auth routes), and a CSRF token that the
// page's script reads and echoes in a header (double submit). The CSRF token is an HMAC
// of the session id, so a cookie planted by a sibling subdomain does not pass either.
// All are SameSite=Lax and Secure outside development.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const ACCESS_COOKIE = 'sb_access';
export const REFRESH_COOKIE = 'sb_refresh';
export const CSRF_COOKIE = 'sb_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The refresh cookie goes to the auth routes (refresh, logout) and nowhere else. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';
const ACCESS_COOKIE_PATH = '/api';

export const ACCESS_TOKEN_SECONDS = 15 * 60;

export interface CookieSettings {
  secure: boolean;
  /** Key of the CSRF HMAC. */
  secret: string;
}

export const csrfTokenFor = (secret: string, sessionId: string): string =>
  createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');

export function setSessionCookies(
  reply: FastifyReply,
  settings: CookieSettings,
  session: { accessToken: string; refreshToken: string; refreshExpiresAt: Date; sessionId: string },
  now: Date,
): void {
  const base = { secure: settings.secure, sameSite: 'lax' as const };
  const refreshMaxAge = Math.max(0, Math.round((session.refreshExpiresAt.getTime() - now.getTime()) / 1000));
  reply
    .setCookie(ACCESS_COOKIE, session.accessToken, { ...base, httpOnly: true, path: ACCESS_COOKIE_PATH, maxAge: ACCESS_TOKEN_SECONDS })
    .setCookie(REFRESH_COOKIE, session.refreshToken, { ...base, httpOnly: true, path: REFRESH_COOKIE_PATH, maxAge: refreshMaxAge })
    .setCookie(CSRF_COOKIE, csrfTokenFor(settings.secret, session.sessionId), { ...base, httpOnly: false, path: '/', maxAge: refreshMaxAge });
}

/** A new access token for the same session (after verifying the email). */
export function setAccessCookie(reply: FastifyReply, settings: CookieSettings, accessToken: string): void {
  reply.setCookie(ACCESS_COOKIE, accessToken, { secure: settings.secure, sameSite: 'lax', httpOnly: true, path: ACCESS_COOKIE_PATH, maxAge: ACCESS_TOKEN_SECONDS });
}

export function clearSessionCookies(reply: FastifyReply, settings: CookieSettings): void {
  const base = { secure: settings.secure, sameSite: 'lax' as const };
  reply
    .clearCookie(ACCESS_COOKIE, { ...base, httpOnly: true, path: ACCESS_COOKIE_PATH })
    .clearCookie(REFRESH_COOKIE, { ...base, httpOnly: true, path: REFRESH_COOKIE_PATH })
    .clearCookie(CSRF_COOKIE, { ...base, path: '/' });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isUnsafe = (req: FastifyRequest): boolean => !SAFE_METHODS.has(req.method);

/** The double-submit check: the header equals the cookie, and both are this session's. */
export function csrfPasses(req: FastifyRequest, secret: string, sessionId: string): boolean {
  const header = req.headers[CSRF_HEADER];
  const cookie = req.cookies[CSRF_COOKIE];
  if (typeof header !== 'string' || !cookie || header !== cookie) return false;
  const expected = Buffer.from(csrfTokenFor(secret, sessionId));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
