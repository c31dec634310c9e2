// The team: invitations (a single-use code mailed with a role), accepting one, role
// changes, ownership transfer and deactivation. The acting user's role is read from
// their own stream, not trusted from the access token, so a demotion counts at once.
import type { Role } from '../events/identity.js';
import { normalizeEmail, streams } from '../events/streams.js';
import type { Position } from '../eventstore/port.js';
import { newId, type CommandContext } from './context.js';
import { DomainError } from './errors.js';
import { DAY_MS, hashPassword, later, type IdentityHandlers, type RequestOrigin } from './identity-handlers.js';
import { acceptable } from './invitation.js';
import { can } from './permissions.js';
import { decodeToken, encodeToken, sha256, type Secrets } from './secrets.js';

/** An invitation is open this long. */
export const INVITATION_TTL_MS = 7 * DAY_MS;

export interface Changed {
  id: string;
  revision: bigint;
  /** Null when nothing needed to change. */
  position: Position | null;
}

export function createTeamCommands(h: IdentityHandlers, secrets: Secrets) {
  async function actor(ctx: CommandContext) {
    const me = await h.account(ctx.tenantId, ctx.actorId);
    if (me.status !== 'active') throw new DomainError('forbidden', { reason: 'your account is deactivated' });
    return me;
  }

  /** The code mailed for an invitation: where it belongs, and a secret derived from the issuing event. */
  const invitationCode = (tenantId: string, invitationId: string, eventId: string) =>
    encodeToken({ tenantId, id: invitationId }, secrets.secret(eventId));

  return {
    invitationCode,

    async invite(ctx: CommandContext, input: { email: string; role: Role }): Promise<Changed> {
      const me = await actor(ctx);
      if (!can(me.role, 'users:manage')) throw new DomainError('forbidden', { reason: 'you may not manage users' });
      const email = normalizeEmail(input.email);
      if (await h.accountByEmail(email)) throw new DomainError('email-taken');
      const { state: company } = await h.tenant.load(streams.tenant(ctx.tenantId));
      if (company.status === 'none') throw new DomainError('not-found');
      const invitationId = newId();
      const eventId = newId();
      const code = invitationCode(ctx.tenantId, invitationId, eventId);
      const done = await h.invitation.handle(
        streams.invitation(ctx.tenantId, invitationId),
        {
          type: 'CreateInvitation',
          data: {
            invitationId,
            email,
            role: input.role,
            codeHash: sha256(code),
            expiresAt: later(ctx.now, INVITATION_TTL_MS),
            invitedBy: me.userId,
            inviterName: me.name,
            companyName: company.companyName,
          },
        },
        ctx,
        { eventIds: () => eventId },
      );
      return { id: invitationId, revision: done.revision, position: done.position };
    },

    async revokeInvitation(ctx: CommandContext, invitationId: string): Promise<Changed> {
      const done = await h.invitation.handle(streams.invitation(ctx.tenantId, invitationId), { type: 'RevokeInvitation' }, ctx);
      return { id: invitationId, revision: done.revision, position: done.position };
    },

    /** A new user of the inviting tenant, with the invitation's role; its email counts as verified. */
    async acceptInvitation(
      input: { code: string; name: string; email: string; password: string },
      request: RequestOrigin,
    ): Promise<{ tenantId: string; userId: string; role: Role }> {
      const parts = decodeToken(input.code);
      if (!parts) throw new DomainError('invalid-invitation');
      const { tenantId, id: invitationId } = parts;
      const stream = streams.invitation(tenantId, invitationId);
      const { state } = await h.invitation.load(stream);
      const email = normalizeEmail(input.email);
      const check = { codeHash: sha256(input.code), email, now: request.now };
      if (state.status !== 'pending' || !acceptable(state, check)) throw new DomainError('invalid-invitation');
      const userId = newId();
      const ctx = { ...request, tenantId, actorId: userId };
      const passwordHash = await hashPassword(input.password);
      // The email is claimed first: of two accepts at once, one wins it and the other appends nothing.
      await h.email.handle(streams.emailReservation(email), { type: 'ReserveEmail', data: { email, userId, tenantId } }, ctx);
      await h.user.handle(
        streams.user(tenantId, userId),
        { type: 'RegisterUser', data: { userId, tenantId, name: input.name, email, passwordHash, role: state.role, verifiedBy: 'invitation' } },
        ctx,
      );
      await h.invitation.handle(stream, { type: 'AcceptInvitation', data: { ...check, userId } }, ctx);
      return { tenantId, userId, role: state.role };
    },

    /** A new role; `owner` hands the company over (only the owner may, and then becomes an admin). */
    async changeRole(ctx: CommandContext, userId: string, role: Role): Promise<Changed> {
      const me = await actor(ctx);
      const target = streams.user(ctx.tenantId, userId);
      if (role !== 'owner') {
        const done = await h.user.handle(target, { type: 'ChangeRole', data: { role, actor: me } }, ctx);
        return { id: userId, revision: done.revision, position: done.position };
      }
      if (!can(me.role, 'ownership:transfer')) throw new DomainError('forbidden', { reason: 'only the owner can hand over ownership' });
      // Checked before anything is written: the target must be an active user of this tenant.
      const { state } = await h.user.load(target);
      if (state.status === 'none') throw new DomainError('not-found');
      if (state.status !== 'active') throw new DomainError('user-deactivated');
      await h.tenant.handle(streams.tenant(ctx.tenantId), { type: 'TransferOwnership', data: { fromUserId: me.userId, toUserId: userId } }, ctx);
      const promoted = await h.user.handle(target, { type: 'ChangeRole', data: { role: 'owner', actor: me } }, ctx);
      await h.user.handle(streams.user(ctx.tenantId, me.userId), { type: 'StepDownAsOwner', data: { newOwnerId: userId } }, ctx);
      return { id: userId, revision: promoted.revision, position: promoted.position };
    },

    async deactivateUser(ctx: CommandContext, userId: string): Promise<Changed> {
      const me = await actor(ctx);
      const done = await h.user.handle(streams.user(ctx.tenantId, userId), { type: 'Deactivate', data: { actor: me } }, ctx);
      return { id: userId, revision: done.revision, position: done.position };
    },
  };
}
