// An invitation to join a tenant with a role: a single-use code, mailed, stored only
// as its hash, valid until `expiresAt`.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { Role, SecretHash } from './identity.js';
import { Id } from './values.js';

export const InvitationCreated = event(
  'InvitationCreated',
  z.object({
    invitationId: Id,
    email: z.email(),
    role: Role.exclude(['owner']),
    codeHash: SecretHash,
    expiresAt: z.iso.datetime(),
    invitedBy: Id,
    /** For the mail: who invites, to which company. */
    inviterName: z.string().min(1),
    companyName: z.string().min(1),
  }),
);

export const InvitationAccepted = event('InvitationAccepted', z.object({ invitationId: Id, userId: Id }));

export const InvitationRevoked = event('InvitationRevoked', z.object({ invitationId: Id }));

export const invitationEvents = [InvitationCreated, InvitationAccepted, InvitationRevoked] as const;
export type InvitationEvent = EventOf<(typeof invitationEvents)[number]>;
