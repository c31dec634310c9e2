// The aggregates of identity, one handler (and state cache) each, shared by the
// identity services of one process.
import argon2 from 'argon2';
import type { EventStore } from '../eventstore/port.js';
import type { CommandContext } from './context.js';
import { streams } from '../events/streams.js';
import { emailReservation } from './email-reservation.js';
import { DomainError } from './errors.js';
import { handlerFor } from './handler.js';
import { invitation } from './invitation.js';
import { location } from './location.js';
import { session } from './session.js';
import { tenant } from './tenant.js';
import { user, type Account } from './user.js';

export function identityHandlers(store: EventStore) {
  const handlers = {
    tenant: handlerFor(store, tenant),
    user: handlerFor(store, user),
    location: handlerFor(store, location),
    email: handlerFor(store, emailReservation),
    session: handlerFor(store, session),
    invitation: handlerFor(store, invitation),
  };
  return {
    ...handlers,
    /** The account behind a login email, or null (no account, or none by that email). */
    async accountByEmail(email: string): Promise<Account | null> {
      const { state: claim } = await handlers.email.load(streams.emailReservation(email));
      if (!claim.owner) return null;
      const { state } = await handlers.user.load(streams.user(claim.owner.tenantId, claim.owner.userId));
      return state.status === 'none' ? null : state;
    },
    /** A user of this tenant; another tenant's id is simply not found. */
    async account(tenantId: string, userId: string): Promise<Account> {
      const { state } = await handlers.user.load(streams.user(tenantId, userId));
      if (state.status === 'none') throw new DomainError('not-found');
      return state;
    },
  };
}

export type IdentityHandlers = ReturnType<typeof identityHandlers>;

export const DAY_MS = 24 * 60 * 60 * 1000;
export const later = (now: Date, ms: number): Date => new Date(now.getTime() + ms);

/** What a request tells about itself before anyone has signed in. */
export type RequestOrigin = Omit<CommandContext, 'tenantId' | 'actorId'>;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });
