// A user account: registration, email verification, password reset and change, role
// and deactivation. Time arrives in the commands; codes arrive already digested.
import {
  EmailVerificationRequested,
  EmailVerified,
  LoginFailed,
  PasswordChanged,
  PasswordResetCodeVerified,
  PasswordResetRequested,
  SessionsEnded,
  UserDeactivated,
  UserRegistered,
  UserRoleChanged,
  type Role,
  type UserEvent,
} from '../events/identity.js';
import { sameDigest } from './secrets.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';
import { can } from './permissions.js';

/** A verification or reset code may be asked for again only after this long. */
export const CODE_COOLDOWN_MS = 60_000;

type Actor = { userId: string; role: string };

export type UserCommand =
  | {
      type: 'RegisterUser';
      data: {
        userId: string;
        tenantId: string;
        name: string;
        email: string;
        passwordHash: string | null;
        role: Role;
        /** How the email is already proven, if it is (Google, or the invitation's mail). */
        verifiedBy?: 'google' | 'invitation' | null;
      };
    }
  | { type: 'RequestEmailVerification'; data: { codeHash: string; now: Date; expiresAt: Date } }
  | { type: 'VerifyEmail'; data: { codeHash: string; now: Date } }
  | { type: 'ConfirmEmailByGoogle' }
  | { type: 'RecordLoginFailure'; data: { reason: 'wrong-password' | 'account-deactivated' } }
  | { type: 'RequestPasswordReset'; data: { codeHash: string; now: Date; expiresAt: Date; ip: string | null } }
  | { type: 'VerifyResetCode'; data: { codeHash: string; now: Date; resetTokenHash: string; expiresAt: Date } }
  | { type: 'ResetPassword'; data: { resetTokenHash: string; passwordHash: string; now: Date } }
  | { type: 'ChangePassword'; data: { passwordHash: string; now: Date; currentSessionId: string | null } }
  | { type: 'ChangeRole'; data: { role: Role; actor: Actor } }
  | { type: 'StepDownAsOwner'; data: { newOwnerId: string } }
  | { type: 'Deactivate'; data: { actor: Actor } };

interface PendingCode {
  codeHash: string;
  requestedAt: string;
  expiresAt: string;
}

export interface Account {
  status: 'active' | 'deactivated';
  userId: string;
  tenantId: string;
  name: string;
  email: string;
  passwordHash: string | null;
  role: Role;
  emailVerified: boolean;
  verification: PendingCode | null;
  reset: PendingCode | null;
  resetToken: { hash: string; expiresAt: string } | null;
  /** Every "end the sessions" so far: a session is valid only if none of them covers it. */
  sessionsEnded: { endedAt: string; exceptSessionId: string | null }[];
}

export type UserState = { status: 'none' } | Account;

export const user: Decider<UserCommand, UserEvent, UserState> = {
  initialState: { status: 'none' },
  evolve: (s, e) => {
    if (e.type === 'UserRegistered') {
      return {
        status: 'active',
        ...e.data,
        emailVerified: false,
        verification: null,
        reset: null,
        resetToken: null,
        sessionsEnded: [],
      };
    }
    if (s.status === 'none') return s;
    switch (e.type) {
      case 'EmailVerificationRequested':
        return { ...s, verification: { codeHash: e.data.codeHash, requestedAt: e.data.requestedAt, expiresAt: e.data.expiresAt } };
      case 'EmailVerified':
        return { ...s, emailVerified: true, verification: null };
      case 'LoginFailed':
        return s;
      case 'PasswordResetRequested':
        return { ...s, reset: { codeHash: e.data.codeHash, requestedAt: e.data.requestedAt, expiresAt: e.data.expiresAt } };
      case 'PasswordResetCodeVerified':
        return { ...s, reset: null, resetToken: { hash: e.data.resetTokenHash, expiresAt: e.data.expiresAt } };
      case 'PasswordChanged':
        // A reset proves the inbox too: whoever read the code owns the address.
        return { ...s, passwordHash: e.data.passwordHash, reset: null, resetToken: null, emailVerified: s.emailVerified || e.data.via === 'reset' };
      case 'SessionsEnded':
        return { ...s, sessionsEnded: [...s.sessionsEnded, { endedAt: e.data.endedAt, exceptSessionId: e.data.exceptSessionId }] };
      case 'UserRoleChanged':
        return { ...s, role: e.data.role };
      case 'UserDeactivated':
        return { ...s, status: 'deactivated' };
    }
  },
  decide: (cmd, s) => {
    if (cmd.type === 'RegisterUser') {
      if (s.status !== 'none') throw new DomainError('already-exists');
      const { verifiedBy, ...data } = cmd.data;
      const registered = UserRegistered.of(data);
      return verifiedBy ? [registered, EmailVerified.of({ userId: data.userId, method: verifiedBy })] : [registered];
    }
    if (s.status === 'none') throw new DomainError('not-found');
    const userId = s.userId;
    switch (cmd.type) {
      case 'RequestEmailVerification': {
        if (s.status !== 'active') throw new DomainError('not-found');
        if (s.emailVerified) throw new DomainError('email-already-verified');
        cooldown(s.verification, cmd.data.now);
        const { codeHash, now, expiresAt } = cmd.data;
        return [EmailVerificationRequested.of({ userId, email: s.email, codeHash, requestedAt: now.toISOString(), expiresAt: expiresAt.toISOString() })];
      }
      case 'VerifyEmail':
        if (s.emailVerified) return [];
        if (!matches(s.verification, cmd.data.codeHash, cmd.data.now)) throw new DomainError('invalid-code');
        return [EmailVerified.of({ userId, method: 'code' })];
      case 'ConfirmEmailByGoogle':
        return s.emailVerified ? [] : [EmailVerified.of({ userId, method: 'google' })];
      case 'RecordLoginFailure':
        return [LoginFailed.of({ userId, email: s.email, reason: cmd.data.reason })];
      case 'RequestPasswordReset': {
        // Nothing happens for a deactivated account, and the caller cannot tell.
        if (s.status !== 'active' || (s.reset && Date.parse(s.reset.requestedAt) + CODE_COOLDOWN_MS > cmd.data.now.getTime())) return [];
        const { codeHash, now, expiresAt, ip } = cmd.data;
        return [
          PasswordResetRequested.of({ userId, email: s.email, codeHash, requestedAt: now.toISOString(), expiresAt: expiresAt.toISOString(), requestedFromIp: ip }),
        ];
      }
      case 'VerifyResetCode':
        if (s.status !== 'active' || !matches(s.reset, cmd.data.codeHash, cmd.data.now)) throw new DomainError('invalid-code');
        return [PasswordResetCodeVerified.of({ userId, resetTokenHash: cmd.data.resetTokenHash, expiresAt: cmd.data.expiresAt.toISOString() })];
      case 'ResetPassword': {
        const token = s.resetToken;
        const valid = token && sameDigest(token.hash, cmd.data.resetTokenHash) && Date.parse(token.expiresAt) > cmd.data.now.getTime();
        if (s.status !== 'active' || !valid) throw new DomainError('invalid-reset-token');
        return [
          PasswordChanged.of({ userId, passwordHash: cmd.data.passwordHash, via: 'reset' }),
          SessionsEnded.of({ userId, reason: 'password-reset', endedAt: cmd.data.now.toISOString(), exceptSessionId: null }),
        ];
      }
      case 'ChangePassword':
        if (s.status !== 'active') throw new DomainError('not-found');
        return [
          PasswordChanged.of({ userId, passwordHash: cmd.data.passwordHash, via: 'change' }),
          SessionsEnded.of({ userId, reason: 'password-change', endedAt: cmd.data.now.toISOString(), exceptSessionId: cmd.data.currentSessionId }),
        ];
      case 'ChangeRole': {
        const { role, actor } = cmd.data;
        mayManage(s, actor);
        // Ownership moves only by a transfer, which the owner starts (see StepDownAsOwner).
        if (role === 'owner' && actor.role !== 'owner') throw new DomainError('forbidden', { reason: 'only the owner can hand over ownership' });
        return s.role === role ? [] : [UserRoleChanged.of({ userId, role, previousRole: s.role })];
      }
      case 'StepDownAsOwner':
        if (s.role !== 'owner') throw new DomainError('forbidden', { reason: 'only the owner can hand over ownership' });
        if (cmd.data.newOwnerId === userId) throw new DomainError('forbidden', { reason: 'the new owner must be someone else' });
        return [UserRoleChanged.of({ userId, role: 'admin', previousRole: 'owner' })];
      case 'Deactivate':
        if (s.status === 'deactivated') return [];
        mayManage(s, cmd.data.actor);
        return [UserDeactivated.of({ userId })];
    }
  },
};

/** Whether a session that started at `startedAt` survived every "end the sessions". */
export function sessionStillValid(s: Account, sessionId: string, startedAt: string): boolean {
  if (s.status !== 'active') return false;
  const started = Date.parse(startedAt);
  return s.sessionsEnded.every((end) => started > Date.parse(end.endedAt) || end.exceptSessionId === sessionId);
}

// Nobody changes their own role or account (no one locks the company out by mistake),
// and the owner is changed only by the owner handing over ownership.
function mayManage(target: Account, actor: Actor): void {
  if (!can(actor.role, 'users:manage')) throw new DomainError('forbidden', { reason: 'you may not manage users' });
  if (target.userId === actor.userId) throw new DomainError('forbidden', { reason: 'you cannot change your own account this way' });
  if (target.role === 'owner') throw new DomainError('forbidden', { reason: 'the owner can only be changed by a transfer of ownership' });
  if (target.status !== 'active') throw new DomainError('user-deactivated');
}

function cooldown(pending: PendingCode | null, now: Date): void {
  if (!pending) return;
  const wait = Date.parse(pending.requestedAt) + CODE_COOLDOWN_MS - now.getTime();
  if (wait > 0) throw new DomainError('too-many-requests', { retryAfter: Math.ceil(wait / 1000) });
}

const matches = (pending: PendingCode | null, codeHash: string, now: Date): boolean =>
  pending !== null && Date.parse(pending.expiresAt) > now.getTime() && sameDigest(pending.codeHash, codeHash);
