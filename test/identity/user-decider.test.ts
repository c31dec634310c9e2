// The user decider, given/when/then: verification, reset, change, roles, deactivation.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sessionStillValid, user, type Account } from '../../src/commands/user.js';
import { fold } from '../../src/commands/decider.js';
import {
  EmailVerificationRequested,
  EmailVerified,
  PasswordChanged,
  PasswordResetCodeVerified,
  PasswordResetRequested,
  SessionsEnded,
  UserDeactivated,
  UserRegistered,
  UserRoleChanged,
} from '../../src/events/identity.js';
import { spec } from '../support/spec.js';

const userId = randomUUID();
const tenantId = randomUUID();
const hash = (c: string) => c.repeat(64).slice(0, 64);
const HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA';
const T0 = new Date('2030-01-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

const registered = (role: 'owner' | 'admin' | 'viewer' = 'viewer') =>
  UserRegistered.of({ userId, tenantId, name: 'Ann', email: 'ann@example.test', passwordHash: HASH, role });
const codeRequested = EmailVerificationRequested.of({
  userId,
  email: 'ann@example.test',
  codeHash: hash('a'),
  requestedAt: T0.toISOString(),
  expiresAt: at(24 * HOUR).toISOString(),
});
const resetRequested = PasswordResetRequested.of({
  userId,
  email: 'ann@example.test',
  codeHash: hash('b'),
  requestedAt: T0.toISOString(),
  expiresAt: at(HOUR).toISOString(),
  requestedFromIp: '10.0.0.1',
});
const codeVerified = PasswordResetCodeVerified.of({ userId, resetTokenHash: hash('c'), expiresAt: at(15 * MIN).toISOString() });
const admin = { userId: randomUUID(), role: 'admin' };
const manager = { userId: randomUUID(), role: 'manager' };
const owner = { userId: randomUUID(), role: 'owner' };

t.test('registration: Google and invitations arrive with the email already proven', async (t) => {
  const data = { userId, tenantId, name: 'Ann', email: 'ann@example.test', passwordHash: null, role: 'owner' as const };
  spec(user).given([]).when({ type: 'RegisterUser', data: { ...data, verifiedBy: 'google' } }).then(t, [UserRegistered.of(data), EmailVerified.of({ userId, method: 'google' })]);
  spec(user).given([]).when({ type: 'RegisterUser', data: { ...data, passwordHash: HASH, verifiedBy: null } }).then(t, [UserRegistered.of({ ...data, passwordHash: HASH })]);
});

t.test('a verification code: one a minute, valid 24 hours, right digest only', async (t) => {
  const request = (now: Date) => ({ type: 'RequestEmailVerification' as const, data: { codeHash: hash('d'), now, expiresAt: at(25 * HOUR) } });
  spec(user).given([registered(), codeRequested]).when(request(at(30_000))).thenThrows(t, 'too-many-requests', { retryAfter: 30 });
  spec(user)
    .given([registered(), codeRequested])
    .when(request(at(MIN)))
    .then(t, [EmailVerificationRequested.of({ userId, email: 'ann@example.test', codeHash: hash('d'), requestedAt: at(MIN).toISOString(), expiresAt: at(25 * HOUR).toISOString() })]);
  spec(user).given([registered(), codeRequested, EmailVerified.of({ userId, method: 'code' })]).when(request(at(HOUR))).thenThrows(t, 'email-already-verified');

  const verify = (codeHash: string, now: Date) => ({ type: 'VerifyEmail' as const, data: { codeHash, now } });
  spec(user).given([registered(), codeRequested]).when(verify(hash('a'), at(23 * HOUR))).then(t, [EmailVerified.of({ userId, method: 'code' })]);
  spec(user).given([registered(), codeRequested]).when(verify(hash('a'), at(24 * HOUR))).thenThrows(t, 'invalid-code');
  spec(user).given([registered(), codeRequested]).when(verify(hash('e'), at(HOUR))).thenThrows(t, 'invalid-code');
  spec(user).given([registered()]).when(verify(hash('a'), at(HOUR))).thenThrows(t, 'invalid-code');
  spec(user).given([registered(), codeRequested, EmailVerified.of({ userId, method: 'code' })]).when(verify(hash('z'), at(HOUR))).then(t, []);
});

t.test('a password reset: request (silent when it cannot), code for token (once, 1 h), token for password (once, ends sessions)', async (t) => {
  const request = (now: Date) => ({ type: 'RequestPasswordReset' as const, data: { codeHash: hash('b'), now, expiresAt: at(HOUR), ip: '10.0.0.1' } });
  spec(user).given([registered()]).when(request(T0)).then(t, [resetRequested]);
  spec(user).given([registered(), resetRequested]).when(request(at(10_000))).then(t, []);
  spec(user).given([registered(), UserDeactivated.of({ userId })]).when(request(T0)).then(t, []);

  const verify = (codeHash: string, now: Date) => ({
    type: 'VerifyResetCode' as const,
    data: { codeHash, now, resetTokenHash: hash('c'), expiresAt: at(15 * MIN) },
  });
  spec(user).given([registered(), resetRequested]).when(verify(hash('b'), at(59 * MIN))).then(t, [codeVerified]);
  spec(user).given([registered(), resetRequested]).when(verify(hash('b'), at(HOUR))).thenThrows(t, 'invalid-code');
  spec(user).given([registered(), resetRequested, codeVerified]).when(verify(hash('b'), at(MIN))).thenThrows(t, 'invalid-code');

  const reset = (tokenHash: string, now: Date) => ({ type: 'ResetPassword' as const, data: { resetTokenHash: tokenHash, passwordHash: HASH, now } });
  spec(user)
    .given([registered(), resetRequested, codeVerified])
    .when(reset(hash('c'), at(5 * MIN)))
    .then(t, [
      PasswordChanged.of({ userId, passwordHash: HASH, via: 'reset' }),
      SessionsEnded.of({ userId, reason: 'password-reset', endedAt: at(5 * MIN).toISOString(), exceptSessionId: null }),
    ]);
  spec(user).given([registered(), resetRequested, codeVerified]).when(reset(hash('d'), at(5 * MIN))).thenThrows(t, 'invalid-reset-token');
  spec(user).given([registered(), resetRequested, codeVerified]).when(reset(hash('c'), at(16 * MIN))).thenThrows(t, 'invalid-reset-token');
  spec(user)
    .given([registered(), resetRequested, codeVerified, PasswordChanged.of({ userId, passwordHash: HASH, via: 'reset' })])
    .when(reset(hash('c'), at(6 * MIN)))
    .thenThrows(t, 'invalid-reset-token');
});

t.test('a changed password ends every other session; sessions know whether they survived', async (t) => {
  const current = randomUUID();
  const ended = SessionsEnded.of({ userId, reason: 'password-change', endedAt: at(HOUR).toISOString(), exceptSessionId: current });
  spec(user)
    .given([registered()])
    .when({ type: 'ChangePassword', data: { passwordHash: HASH, now: at(HOUR), currentSessionId: current } })
    .then(t, [PasswordChanged.of({ userId, passwordHash: HASH, via: 'change' }), ended]);
  const state = fold(user, [registered(), ended]) as Account;
  t.notOk(sessionStillValid(state, randomUUID(), T0.toISOString()), 'an older session has ended');
  t.ok(sessionStillValid(state, current, T0.toISOString()), 'the session that changed it goes on');
  t.ok(sessionStillValid(state, randomUUID(), at(2 * HOUR).toISOString()), 'a later session is fine');
  const reset = SessionsEnded.of({ userId, reason: 'password-reset', endedAt: at(3 * HOUR).toISOString(), exceptSessionId: null });
  t.notOk(sessionStillValid(fold(user, [registered(), ended, reset]) as Account, current, T0.toISOString()), 'a later reset ends it too');
});

t.test("roles: managed by admins, never one's own, never the owner's; ownership only from the owner", async (t) => {
  const change = (role: 'owner' | 'admin' | 'viewer' | 'manager', actor: { userId: string; role: string }) => ({ type: 'ChangeRole' as const, data: { role, actor } });
  spec(user).given([registered()]).when(change('manager', admin)).then(t, [UserRoleChanged.of({ userId, role: 'manager', previousRole: 'viewer' })]);
  spec(user).given([registered()]).when(change('viewer', admin)).then(t, []);
  spec(user).given([registered()]).when(change('admin', manager)).thenThrows(t, 'forbidden');
  spec(user).given([registered('admin')]).when(change('viewer', { userId, role: 'admin' })).thenThrows(t, 'forbidden');
  spec(user).given([registered('owner')]).when(change('viewer', admin)).thenThrows(t, 'forbidden', { reason: /transfer of ownership/ });
  spec(user).given([registered()]).when(change('owner', admin)).thenThrows(t, 'forbidden', { reason: /only the owner/ });
  spec(user).given([registered()]).when(change('owner', owner)).then(t, [UserRoleChanged.of({ userId, role: 'owner', previousRole: 'viewer' })]);
  spec(user).given([registered(), UserDeactivated.of({ userId })]).when(change('admin', admin)).thenThrows(t, 'user-deactivated');
  spec(user).given([registered('owner')]).when({ type: 'StepDownAsOwner', data: { newOwnerId: randomUUID() } }).then(t, [UserRoleChanged.of({ userId, role: 'admin', previousRole: 'owner' })]);
  spec(user).given([registered('admin')]).when({ type: 'StepDownAsOwner', data: { newOwnerId: randomUUID() } }).thenThrows(t, 'forbidden');
});

t.test('deactivation: by an admin, never oneself or the owner, once', async (t) => {
  const deactivate = (actor: { userId: string; role: string }) => ({ type: 'Deactivate' as const, data: { actor } });
  spec(user).given([registered()]).when(deactivate(admin)).then(t, [UserDeactivated.of({ userId })]);
  spec(user).given([registered(), UserDeactivated.of({ userId })]).when(deactivate(admin)).then(t, []);
  spec(user).given([registered()]).when(deactivate({ userId, role: 'admin' })).thenThrows(t, 'forbidden');
  spec(user).given([registered('owner')]).when(deactivate(admin)).thenThrows(t, 'forbidden');
  spec(user).given([registered()]).when(deactivate({ userId: randomUUID(), role: 'salesperson' })).thenThrows(t, 'forbidden');
  spec(user).given([]).when(deactivate(admin)).thenThrows(t, 'not-found');
});
