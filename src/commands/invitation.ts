// An invitation: created with a role for one email, accepted once, or revoked.
import { InvitationAccepted, InvitationCreated, InvitationRevoked, type InvitationEvent } from '../events/invitation.js';
import type { Role } from '../events/identity.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';
import { sameDigest } from './secrets.js';

export type InvitationCommand =
  | {
      type: 'CreateInvitation';
      data: {
        invitationId: string;
        email: string;
        role: Role;
        codeHash: string;
        expiresAt: Date;
        invitedBy: string;
        inviterName: string;
        companyName: string;
      };
    }
  | { type: 'AcceptInvitation'; data: { codeHash: string; email: string; userId: string; now: Date } }
  | { type: 'RevokeInvitation' };

export type InvitationState =
  | { status: 'none' }
  | { status: 'pending' | 'accepted' | 'revoked'; invitationId: string; email: string; role: Role; codeHash: string; expiresAt: string };

export const invitation: Decider<InvitationCommand, InvitationEvent, InvitationState> = {
  initialState: { status: 'none' },
  evolve: (s, e) => {
    switch (e.type) {
      case 'InvitationCreated': {
        const { invitationId, email, role, codeHash, expiresAt } = e.data;
        return { status: 'pending', invitationId, email, role, codeHash, expiresAt };
      }
      case 'InvitationAccepted':
        return s.status === 'none' ? s : { ...s, status: 'accepted' };
      case 'InvitationRevoked':
        return s.status === 'none' ? s : { ...s, status: 'revoked' };
    }
  },
  decide: (cmd, s) => {
    switch (cmd.type) {
      case 'CreateInvitation': {
        if (s.status !== 'none') throw new DomainError('already-exists');
        if (cmd.data.role === 'owner') throw new DomainError('invalid-role', { role: 'owner' });
        const { role, expiresAt, ...data } = cmd.data;
        return [InvitationCreated.of({ ...data, role, expiresAt: expiresAt.toISOString() })];
      }
      case 'AcceptInvitation':
        if (s.status !== 'pending' || !acceptable(s, cmd.data)) throw new DomainError('invalid-invitation');
        return [InvitationAccepted.of({ invitationId: s.invitationId, userId: cmd.data.userId })];
      case 'RevokeInvitation':
        if (s.status === 'none') throw new DomainError('not-found');
        if (s.status === 'accepted') throw new DomainError('invitation-accepted');
        return s.status === 'revoked' ? [] : [InvitationRevoked.of({ invitationId: s.invitationId })];
    }
  },
};

/**
 * Whether this code and email open the invitation now. The email must be the invited
 * one: the code arrived in that inbox, which is what makes the new account's email
 * verified. Every failure looks the same to the caller.
 */
export function acceptable(s: InvitationState, { codeHash, email, now }: { codeHash: string; email: string; now: Date }): boolean {
  return (
    s.status === 'pending' &&
    Date.parse(s.expiresAt) > now.getTime() &&
    s.email === email &&
    sameDigest(s.codeHash, codeHash)
  );
}
