// Signed-in devices: when and from where each session started, when it was last used
// (its last refresh), and whether and why it ended.
import { projection } from './projection.js';

export const sessions = projection('sessions', ['sessions'], {
  SessionStarted: (e, tx) =>
    tx
      .insertInto('sessions')
      .values({
        id: e.data.sessionId,
        tenant_id: e.metadata.tenantId,
        user_id: e.data.userId,
        method: e.data.method,
        remember_me: e.data.rememberMe,
        ip: e.metadata.ip ?? null,
        user_agent: e.metadata.userAgent ?? null,
        created_at: e.data.startedAt,
        last_used_at: e.data.startedAt,
        expires_at: e.data.expiresAt,
        revoked_at: null,
        revoked_reason: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  SessionRefreshed: (e, tx) =>
    tx
      .updateTable('sessions')
      .set({ last_used_at: e.metadata.occurredAt, expires_at: e.data.expiresAt, ...(e.metadata.ip ? { ip: e.metadata.ip } : {}) })
      .where('id', '=', e.data.sessionId)
      .execute(),
  SessionRevoked: (e, tx) =>
    tx
      .updateTable('sessions')
      .set({ revoked_at: e.metadata.occurredAt, revoked_reason: e.data.reason })
      .where('id', '=', e.data.sessionId)
      .where('revoked_at', 'is', null)
      .execute(),
  // The session streams learn of these at their next refresh; the list shows them ended now.
  SessionsEnded: (e, tx) => {
    let ended = tx
      .updateTable('sessions')
      .set({ revoked_at: e.data.endedAt, revoked_reason: 'sessions-ended' })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('user_id', '=', e.data.userId)
      .where('created_at', '<=', new Date(e.data.endedAt))
      .where('revoked_at', 'is', null);
    if (e.data.exceptSessionId) ended = ended.where('id', '!=', e.data.exceptSessionId);
    return ended.execute();
  },
  UserDeactivated: (e, tx) =>
    tx
      .updateTable('sessions')
      .set({ revoked_at: e.metadata.occurredAt, revoked_reason: 'user-deactivated' })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('user_id', '=', e.data.userId)
      .where('revoked_at', 'is', null)
      .execute(),
});
