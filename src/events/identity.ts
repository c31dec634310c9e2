// Users and the global login-email reservation. Secrets never enter the log: passwords
// appear only as argon2id hashes, one-time codes and tokens only as SHA-256 digests
// (keyed for the short codes, see src/commands/secrets.ts), each with its expiry.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { Id } from './values.js';

export const Role = z.enum(['owner', 'admin', 'manager', 'salesperson', 'viewer']);
export type Role = z.infer<typeof Role>;

const PasswordHash = z.string().startsWith('$argon2id$');
/** A SHA-256 digest (hex) of a one-time code or token: never the secret itself. */
export const SecretHash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');
const Instant = z.iso.datetime();

export const UserRegistered = event(
  'UserRegistered',
  z.object({
    userId: Id,
    tenantId: Id,
    name: z.string().min(1),
    email: z.email(),
    /** Null for an account created by Google sign-in: it has no password until a reset sets one. */
    passwordHash: PasswordHash.nullable(),
    role: Role,
  }),
  {
    version: 2,
    // v2 only widened passwordHash to allow null: every v1 event is a valid v2 event.
    upcasters: { 1: (data) => data },
  },
);

/** A verification code was issued (and is mailed by the mail reactor); valid 24 h. */
export const EmailVerificationRequested = event(
  'EmailVerificationRequested',
  z.object({ userId: Id, email: z.email(), codeHash: SecretHash, requestedAt: Instant, expiresAt: Instant }),
);

export const EmailVerified = event(
  'EmailVerified',
  z.object({ userId: Id, method: z.enum(['code', 'google', 'invitation']) }),
);

/** A wrong password (or a deactivated account) at login: the security view's source. */
export const LoginFailed = event(
  'LoginFailed',
  z.object({ userId: Id, email: z.email(), reason: z.enum(['wrong-password', 'account-deactivated']) }),
);

/** Step 1 of a reset: a code mailed to the account, valid 1 h; who asked is recorded. */
export const PasswordResetRequested = event(
  'PasswordResetRequested',
  z.object({
    userId: Id,
    email: z.email(),
    codeHash: SecretHash,
    requestedAt: Instant,
    expiresAt: Instant,
    requestedFromIp: z.string().nullable(),
  }),
);

/** Step 2: the code was right; it is spent, and a single-use reset token replaces it. */
export const PasswordResetCodeVerified = event(
  'PasswordResetCodeVerified',
  z.object({ userId: Id, resetTokenHash: SecretHash, expiresAt: Instant }),
);

export const PasswordChanged = event(
  'PasswordChanged',
  z.object({ userId: Id, passwordHash: PasswordHash, via: z.enum(['change', 'reset']) }),
);

/**
 * Every session of the user started before `endedAt` is over (but `exceptSessionId`,
 * the session that changed the password). Each session learns it at its next refresh.
 */
export const SessionsEnded = event(
  'SessionsEnded',
  z.object({
    userId: Id,
    reason: z.enum(['password-reset', 'password-change']),
    endedAt: Instant,
    exceptSessionId: Id.nullable(),
  }),
);

export const UserRoleChanged = event('UserRoleChanged', z.object({ userId: Id, role: Role, previousRole: Role }));

export const UserDeactivated = event('UserDeactivated', z.object({ userId: Id }));

export const EmailReserved = event('EmailReserved', z.object({ email: z.email(), userId: Id, tenantId: Id }));

export const userEvents = [
  UserRegistered,
  EmailVerificationRequested,
  EmailVerified,
  LoginFailed,
  PasswordResetRequested,
  PasswordResetCodeVerified,
  PasswordChanged,
  SessionsEnded,
  UserRoleChanged,
  UserDeactivated,
] as const;
export type UserEvent = EventOf<(typeof userEvents)[number]>;
export const emailReservationEvents = [EmailReserved] as const;
export type EmailReservationEvent = EventOf<(typeof emailReservationEvents)[number]>;
