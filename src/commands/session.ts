// A session (one signed-in device) and its rotating refresh token. The state keeps the
// digests of the last few spent tokens: one of them presented again was copied, so the
// session ends. A refresh that ends the session is not a rejection: its events are
// appended (the revocation, the security event) and the caller is then told no.
import { RefreshTokenReused, SessionRefreshed, SessionRevoked, SessionStarted, type SessionEvent } from '../events/session.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';
import { sameDigest } from './secrets.js';

/** Spent digests kept per session: reuse is noticed up to this many rotations back. */
export const SPENT_KEPT = 20;

type Method = 'password' | 'registration' | 'google' | 'invitation';
type RevokeReason = 'logout' | 'revoked' | 'sessions-ended' | 'user-deactivated';

export type SessionCommand =
  | {
      type: 'StartSession';
      data: { sessionId: string; userId: string; refreshTokenHash: string; startedAt: Date; expiresAt: Date; rememberMe: boolean; method: Method };
    }
  | {
      type: 'RefreshSession';
      data: {
        presentedHash: string;
        nextHash: string;
        now: Date;
        expiresAt: Date;
        /** From the user stream: is the account active, and does this session survive its "end all sessions"? */
        userAllows: 'yes' | 'sessions-ended' | 'user-deactivated';
      };
    }
  | { type: 'RevokeSession'; data: { reason: RevokeReason; userId: string } };

export type SessionState =
  | { status: 'none' }
  | {
      status: 'active' | 'revoked';
      sessionId: string;
      userId: string;
      startedAt: string;
      rememberMe: boolean;
      tokenHash: string;
      expiresAt: string;
      spent: string[];
    };

export const session: Decider<SessionCommand, SessionEvent, SessionState> = {
  initialState: { status: 'none' },
  evolve: (s, e) => {
    if (e.type === 'SessionStarted') {
      const { sessionId, userId, startedAt, rememberMe, refreshTokenHash, expiresAt } = e.data;
      return { status: 'active', sessionId, userId, startedAt, rememberMe, tokenHash: refreshTokenHash, expiresAt, spent: [] };
    }
    if (s.status === 'none') return s;
    switch (e.type) {
      case 'SessionRefreshed':
        return { ...s, tokenHash: e.data.refreshTokenHash, expiresAt: e.data.expiresAt, spent: [...s.spent, s.tokenHash].slice(-SPENT_KEPT) };
      case 'RefreshTokenReused':
        return s;
      case 'SessionRevoked':
        return { ...s, status: 'revoked' };
    }
  },
  decide: (cmd, s) => {
    switch (cmd.type) {
      case 'StartSession': {
        if (s.status !== 'none') throw new DomainError('already-exists');
        const { startedAt, expiresAt, ...data } = cmd.data;
        return [SessionStarted.of({ ...data, startedAt: startedAt.toISOString(), expiresAt: expiresAt.toISOString() })];
      }
      case 'RefreshSession': {
        if (s.status !== 'active') throw new DomainError('invalid-refresh-token');
        const { presentedHash, nextHash, now, expiresAt, userAllows } = cmd.data;
        const { sessionId, userId } = s;
        if (s.spent.some((spent) => sameDigest(spent, presentedHash))) {
          return [RefreshTokenReused.of({ sessionId, userId }), SessionRevoked.of({ sessionId, userId, reason: 'refresh-token-reuse' })];
        }
        if (!sameDigest(s.tokenHash, presentedHash) || Date.parse(s.expiresAt) <= now.getTime()) throw new DomainError('invalid-refresh-token');
        if (userAllows !== 'yes') return [SessionRevoked.of({ sessionId, userId, reason: userAllows })];
        return [SessionRefreshed.of({ sessionId, userId, refreshTokenHash: nextHash, expiresAt: expiresAt.toISOString() })];
      }
      case 'RevokeSession':
        // Another user's session is as good as no session: nobody learns it exists.
        if (s.status === 'none' || s.userId !== cmd.data.userId) throw new DomainError('not-found');
        if (s.status === 'revoked') return [];
        return [SessionRevoked.of({ sessionId: s.sessionId, userId: s.userId, reason: cmd.data.reason })];
    }
  },
};
