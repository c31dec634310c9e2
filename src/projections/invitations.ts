import { projection } from './projection.js';

export const invitations = projection('invitations', ['invitations'], {
  InvitationCreated: (e, tx) =>
    tx
      .insertInto('invitations')
      .values({
        id: e.data.invitationId,
        tenant_id: e.metadata.tenantId,
        email: e.data.email,
        role: e.data.role,
        status: 'pending',
        invited_by: e.data.invitedBy,
        created_at: e.metadata.occurredAt,
        expires_at: e.data.expiresAt,
        accepted_by: null,
        closed_at: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  InvitationAccepted: (e, tx) =>
    tx
      .updateTable('invitations')
      .set({ status: 'accepted', accepted_by: e.data.userId, closed_at: e.metadata.occurredAt })
      .where('id', '=', e.data.invitationId)
      .execute(),
  InvitationRevoked: (e, tx) =>
    tx.updateTable('invitations').set({ status: 'revoked', closed_at: e.metadata.occurredAt }).where('id', '=', e.data.invitationId).execute(),
});
