// The session decider, given/when/then: rotation, reuse detection, revocation.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { session, SPENT_KEPT } from '../../src/commands/session.js';
import { RefreshTokenReused, SessionRefreshed, SessionRevoked, SessionStarted } from '../../src/events/session.js';
import { spec } from '../support/spec.js';

const sessionId = randomUUID();
const userId = randomUUID();
const h = (n: number) => n.toString(16).padStart(64, '0');
const T0 = new Date('2030-01-01T00:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const at = (ms: number) => new Date(T0.getTime() + ms);

const started = SessionStarted.of({
  sessionId,
  userId,
  refreshTokenHash: h(1),
  startedAt: T0.toISOString(),
  expiresAt: at(7 * DAY).toISOString(),
  rememberMe: false,
  method: 'password',
});
const refreshed = (from: number, to: number) => SessionRefreshed.of({ sessionId, userId, refreshTokenHash: h(to), expiresAt: at(7 * DAY + from).toISOString() });
const refresh = (presented: number, next: number, now: Date, userAllows: 'yes' | 'sessions-ended' | 'user-deactivated' = 'yes') => ({
  type: 'RefreshSession' as const,
  data: { presentedHash: h(presented), nextHash: h(next), now, expiresAt: at(7 * DAY + 1), userAllows },
});

t.test('a refresh spends the token and issues the next', async (t) => {
  spec(session).given([started]).when(refresh(1, 2, at(DAY))).then(t, [SessionRefreshed.of({ sessionId, userId, refreshTokenHash: h(2), expiresAt: at(7 * DAY + 1).toISOString() })]);
  spec(session).given([started]).when(refresh(1, 2, at(7 * DAY))).thenThrows(t, 'invalid-refresh-token');
  spec(session).given([started]).when(refresh(9, 2, at(DAY))).thenThrows(t, 'invalid-refresh-token');
  spec(session).given([]).when(refresh(1, 2, at(DAY))).thenThrows(t, 'invalid-refresh-token');
});

t.test('a spent token presented again ends the session and records the reuse', async (t) => {
  spec(session)
    .given([started, refreshed(0, 2)])
    .when(refresh(1, 3, at(DAY)))
    .then(t, [RefreshTokenReused.of({ sessionId, userId }), SessionRevoked.of({ sessionId, userId, reason: 'refresh-token-reuse' })]);
  const many = Array.from({ length: SPENT_KEPT + 5 }, (_, i) => refreshed(i, i + 2));
  spec(session).given([started, ...many]).when(refresh(SPENT_KEPT, 99, at(DAY))).then(t, [
    RefreshTokenReused.of({ sessionId, userId }),
    SessionRevoked.of({ sessionId, userId, reason: 'refresh-token-reuse' }),
  ]);
  spec(session).given([started, ...many]).when(refresh(1, 99, at(DAY))).thenThrows(t, 'invalid-refresh-token');
  spec(session)
    .given([started, refreshed(0, 2), SessionRevoked.of({ sessionId, userId, reason: 'refresh-token-reuse' })])
    .when(refresh(1, 3, at(DAY)))
    .thenThrows(t, 'invalid-refresh-token');
});

t.test('the account can end a session at its next refresh', async (t) => {
  spec(session).given([started]).when(refresh(1, 2, at(DAY), 'sessions-ended')).then(t, [SessionRevoked.of({ sessionId, userId, reason: 'sessions-ended' })]);
  spec(session).given([started]).when(refresh(1, 2, at(DAY), 'user-deactivated')).then(t, [SessionRevoked.of({ sessionId, userId, reason: 'user-deactivated' })]);
});

t.test('revocation: by its user only, once', async (t) => {
  spec(session).given([started]).when({ type: 'RevokeSession', data: { reason: 'logout', userId } }).then(t, [SessionRevoked.of({ sessionId, userId, reason: 'logout' })]);
  spec(session).given([started, SessionRevoked.of({ sessionId, userId, reason: 'logout' })]).when({ type: 'RevokeSession', data: { reason: 'revoked', userId } }).then(t, []);
  spec(session).given([started]).when({ type: 'RevokeSession', data: { reason: 'revoked', userId: randomUUID() } }).thenThrows(t, 'not-found');
  spec(session).given([started]).when({ type: 'StartSession', data: { sessionId, userId, refreshTokenHash: h(1), startedAt: T0, expiresAt: T0, rememberMe: false, method: 'password' } }).thenThrows(t, 'already-exists');
});
