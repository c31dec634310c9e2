// A session is one signed-in device: its own stream, holding the hash of its current
// refresh token. Tokens rotate on every refresh; a spent one presented again means it
// was copied, so the session ends and the reuse is recorded as a security event.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { SecretHash } from './identity.js';
import { Id } from './values.js';

const Instant = z.iso.datetime();

export const SessionStarted = event(
  'SessionStarted',
  z.object({
    sessionId: Id,
    userId: Id,
    refreshTokenHash: SecretHash,
    startedAt: Instant,
    expiresAt: Instant,
    rememberMe: z.boolean(),
    method: z.enum(['password', 'registration', 'google', 'invitation']),
  }),
);

export const SessionRefreshed = event(
  'SessionRefreshed',
  z.object({ sessionId: Id, userId: Id, refreshTokenHash: SecretHash, expiresAt: Instant }),
);

export const RefreshTokenReused = event('RefreshTokenReused', z.object({ sessionId: Id, userId: Id }));

export const SessionRevoked = event(
  'SessionRevoked',
  z.object({
    sessionId: Id,
    userId: Id,
    reason: z.enum(['logout', 'revoked', 'refresh-token-reuse', 'sessions-ended', 'user-deactivated']),
  }),
);

export const sessionEvents = [SessionStarted, SessionRefreshed, RefreshTokenReused, SessionRevoked] as const;
export type SessionEvent = EventOf<(typeof sessionEvents)[number]>;
