// Identity commands: registering a company, signing in (password or Google) and
// verifying the email, decided from the tenant, user and email-reservation streams.
// Sessions, passwords, the team and the company live in their own services beside it.
import argon2 from 'argon2';
import { normalizeEmail, streams } from '../events/streams.js';
import type { EventStore, Position } from '../eventstore/port.js';
import { createCompanyCommands } from './company-service.js';
import { newId, type CommandContext } from './context.js';
import { DomainError } from './errors.js';
import { DAY_MS, hashPassword, identityHandlers, later, type IdentityHandlers, type RequestOrigin } from './identity-handlers.js';
import { createPasswordCommands } from './password-service.js';
import type { Secrets } from './secrets.js';
import { createSessionCommands } from './session-service.js';
import { createTeamCommands } from './team-service.js';

export interface Registered {
  tenantId: string;
  userId: string;
  position: Position;
}

export interface Authenticated {
  userId: string;
  tenantId: string;
  role: string;
}

export interface IdentityOptions {
  /** The deployment's secret: one-time codes are derived from it (see secrets.ts). */
  secrets: Secrets;
}

/** A verification code is valid this long. */
export const VERIFICATION_TTL_MS = DAY_MS;

// Verifying against a fixed hash when the email is unknown keeps the answer's timing
// the same as for a wrong password, so login does not reveal which emails exist.
let unknownUserHash: Promise<string> | undefined;
const unknownUser = () => (unknownUserHash ??= hashPassword('stockbook-unknown-user'));

export function createIdentityCommands(store: EventStore, options: IdentityOptions) {
  const h = identityHandlers(store);
  const { secrets } = options;

  async function createCompany(
    input: { companyName: string; name: string; email: string; passwordHash: string | null; verifiedBy: 'google' | null },
    request: RequestOrigin,
  ): Promise<Registered> {
    const tenantId = newId();
    const userId = newId();
    const defaultLocationId = newId();
    const ctx = { ...request, tenantId, actorId: userId };
    const email = normalizeEmail(input.email);
    await h.email.handle(streams.emailReservation(email), { type: 'ReserveEmail', data: { email, userId, tenantId } }, ctx);
    await h.tenant.handle(
      streams.tenant(tenantId),
      { type: 'RegisterTenant', data: { tenantId, companyName: input.companyName, ownerId: userId, defaultLocationId } },
      ctx,
    );
    await h.location.handle(
      streams.location(tenantId, defaultLocationId),
      { type: 'CreateLocation', data: { locationId: defaultLocationId, name: 'Main', parentId: null } },
      ctx,
    );
    const { passwordHash, verifiedBy } = input;
    const owner = await h.user.handle(
      streams.user(tenantId, userId),
      { type: 'RegisterUser', data: { userId, tenantId, name: input.name, email, passwordHash, role: 'owner', verifiedBy } },
      ctx,
    );
    return { tenantId, userId, position: owner.position! };
  }

  async function requestEmailVerification(ctx: CommandContext): Promise<Position> {
    // The code is derived from the id of the event that issues it (see secrets.ts).
    const eventId = newId();
    const codeHash = secrets.codeHash('verify-email', ctx.actorId, secrets.code(eventId));
    const done = await h.user.handle(
      streams.user(ctx.tenantId, ctx.actorId),
      { type: 'RequestEmailVerification', data: { codeHash, now: ctx.now, expiresAt: later(ctx.now, VERIFICATION_TTL_MS) } },
      ctx,
      { eventIds: () => eventId },
    );
    return done.position!;
  }

  return {
    ...createSessionCommands(h),
    ...createPasswordCommands(h, secrets),
    ...createTeamCommands(h, secrets),
    ...createCompanyCommands(h),

    /** A new tenant with its owner and default location; the email is claimed first. A code to verify it is mailed. */
    async registerCompany(input: { companyName: string; name: string; email: string; password: string }, request: RequestOrigin): Promise<Registered> {
      const passwordHash = await hashPassword(input.password);
      const registered = await createCompany({ ...input, passwordHash, verifiedBy: null }, request);
      const position = await requestEmailVerification({ ...request, tenantId: registered.tenantId, actorId: registered.userId });
      return { ...registered, position };
    },

    /** Who this email and password are, or invalid-credentials; a wrong password of a known account is recorded. */
    async authenticate(email: string, password: string, request: RequestOrigin): Promise<Authenticated> {
      const account = await h.accountByEmail(normalizeEmail(email));
      const valid = await argon2.verify(account?.passwordHash ?? (await unknownUser()), password);
      if (account && (!valid || account.status !== 'active')) {
        const reason = valid ? 'account-deactivated' : 'wrong-password';
        const ctx = { ...request, tenantId: account.tenantId, actorId: 'system:login' };
        await h.user.handle(streams.user(account.tenantId, account.userId), { type: 'RecordLoginFailure', data: { reason } }, ctx);
      }
      if (!valid || account?.status !== 'active') throw new DomainError('invalid-credentials');
      return { userId: account.userId, tenantId: account.tenantId, role: account.role };
    },

    /**
     * Google vouched for this email: sign in its user, or register a new company with
     * it as the owner. An existing account whose email was not verified yet is now.
     */
    async signInWithGoogle(
      identity: { email: string; name: string; companyName: string },
      request: RequestOrigin,
    ): Promise<Authenticated & { created: boolean }> {
      const email = normalizeEmail(identity.email);
      for (let attempt = 0; ; attempt++) {
        const account = await h.accountByEmail(email);
        if (account) {
          if (account.status !== 'active') throw new DomainError('invalid-credentials');
          const ctx = { ...request, tenantId: account.tenantId, actorId: account.userId };
          await h.user.handle(streams.user(account.tenantId, account.userId), { type: 'ConfirmEmailByGoogle' }, ctx);
          return { userId: account.userId, tenantId: account.tenantId, role: account.role, created: false };
        }
        try {
          const { tenantId, userId } = await createCompany({ ...identity, email, passwordHash: null, verifiedBy: 'google' }, request);
          return { userId, tenantId, role: 'owner', created: true };
        } catch (error) {
          // Two first sign-ins at once: the other one created the account; sign in to it.
          if (!(error instanceof DomainError && error.code === 'email-taken') || attempt > 0) throw error;
        }
      }
    },

    /** Mails a new verification code (at most one a minute). */
    requestEmailVerification,

    async verifyEmail(ctx: CommandContext, code: string): Promise<Position | null> {
      const codeHash = secrets.codeHash('verify-email', ctx.actorId, code);
      const done = await h.user.handle(streams.user(ctx.tenantId, ctx.actorId), { type: 'VerifyEmail', data: { codeHash, now: ctx.now } }, ctx);
      return done.position;
    },
  };
}

export type { IdentityHandlers, RequestOrigin };
