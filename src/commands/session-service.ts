// Sessions: started at sign-in, refreshed with a rotating token, revoked at logout or
// from the list of devices. A refresh asks the user stream whether the account is
// still active and whether a password reset or change ended this session.
import type { Role } from '../events/identity.js';
import { streams } from '../events/streams.js';
import type { Position } from '../eventstore/port.js';
import { newId, type CommandContext } from './context.js';
import { DomainError } from './errors.js';
import { DAY_MS, later, type IdentityHandlers, type RequestOrigin } from './identity-handlers.js';
import { decodeToken, encodeToken, sameDigest, sha256 } from './secrets.js';
import { sessionStillValid } from './user.js';

/** A refresh token is good this long after it was issued (sliding: each refresh renews it). */
export const REFRESH_TTL_MS = 7 * DAY_MS;
export const REMEMBER_ME_TTL_MS = 30 * DAY_MS;

export interface IssuedSession {
  sessionId: string;
  tenantId: string;
  userId: string;
  role: Role;
  emailVerified: boolean;
  /** The plaintext token: handed to the client once, never stored. */
  refreshToken: string;
  refreshExpiresAt: Date;
  rememberMe: boolean;
  position: Position;
}

type Method = 'password' | 'registration' | 'google' | 'invitation';

export function createSessionCommands(h: IdentityHandlers) {
  const ttl = (rememberMe: boolean) => (rememberMe ? REMEMBER_ME_TTL_MS : REFRESH_TTL_MS);

  return {
    async startSession(
      who: { tenantId: string; userId: string },
      options: { rememberMe: boolean; method: Method },
      request: RequestOrigin,
    ): Promise<IssuedSession> {
      const account = await h.account(who.tenantId, who.userId);
      if (account.status !== 'active') throw new DomainError('invalid-credentials');
      const sessionId = newId();
      const refreshToken = encodeToken({ tenantId: who.tenantId, id: sessionId });
      const refreshExpiresAt = later(request.now, ttl(options.rememberMe));
      const ctx = { ...request, tenantId: who.tenantId, actorId: who.userId };
      const started = await h.session.handle(
        streams.session(who.tenantId, sessionId),
        {
          type: 'StartSession',
          data: { sessionId, userId: who.userId, refreshTokenHash: sha256(refreshToken), startedAt: request.now, expiresAt: refreshExpiresAt, ...options },
        },
        ctx,
      );
      const { role, emailVerified } = account;
      return { sessionId, ...who, role, emailVerified, refreshToken, refreshExpiresAt, rememberMe: options.rememberMe, position: started.position! };
    },

    /** Rotates the refresh token: the presented one is spent, a new one is issued. */
    async refreshSession(refreshToken: string, request: RequestOrigin): Promise<IssuedSession> {
      const parts = decodeToken(refreshToken);
      if (!parts) throw new DomainError('invalid-refresh-token');
      const stream = streams.session(parts.tenantId, parts.id);
      const { state } = await h.session.load(stream);
      if (state.status !== 'active') throw new DomainError('invalid-refresh-token');
      const account = await h.account(parts.tenantId, state.userId);
      const userAllows =
        account.status !== 'active' ? 'user-deactivated' : sessionStillValid(account, state.sessionId, state.startedAt) ? 'yes' : 'sessions-ended';
      const next = encodeToken(parts);
      const presentedHash = sha256(refreshToken);
      const refreshExpiresAt = later(request.now, ttl(state.rememberMe));
      const ctx = { ...request, tenantId: parts.tenantId, actorId: state.userId };
      const done = await h.session.handle(
        stream,
        { type: 'RefreshSession', data: { presentedHash, nextHash: sha256(next), now: request.now, expiresAt: refreshExpiresAt, userAllows } },
        ctx,
      );
      if (done.state.status !== 'active') {
        // Revoked just now: by reuse of a spent token (not the current one), or because the account says so.
        const reused = done.state.status === 'revoked' && !sameDigest(done.state.tokenHash, presentedHash);
        throw new DomainError(reused ? 'refresh-token-reused' : 'invalid-refresh-token');
      }
      const { role, emailVerified } = account;
      return {
        sessionId: parts.id,
        tenantId: parts.tenantId,
        userId: state.userId,
        role,
        emailVerified,
        refreshToken: next,
        refreshExpiresAt,
        rememberMe: state.rememberMe,
        position: done.position!,
      };
    },

    /** One of the caller's own sessions ends; anyone else's is not found. */
    async revokeSession(ctx: CommandContext, sessionId: string, reason: 'logout' | 'revoked'): Promise<Position | null> {
      const done = await h.session.handle(streams.session(ctx.tenantId, sessionId), { type: 'RevokeSession', data: { reason, userId: ctx.actorId } }, ctx);
      return done.position;
    },

    /** Logout with only the refresh token at hand (the access token may have expired). */
    async logoutWithRefreshToken(refreshToken: string, request: RequestOrigin): Promise<void> {
      const parts = decodeToken(refreshToken);
      if (!parts) return;
      const stream = streams.session(parts.tenantId, parts.id);
      const { state } = await h.session.load(stream);
      if (state.status !== 'active' || !sameDigest(state.tokenHash, sha256(refreshToken))) return;
      const ctx = { ...request, tenantId: parts.tenantId, actorId: state.userId };
      await h.session.handle(stream, { type: 'RevokeSession', data: { reason: 'logout', userId: state.userId } }, ctx);
    },
  };
}
