// The admins' security view: failed logins and refresh-token reuse, from the log.
import { projection } from './projection.js';

export const securityEvents = projection('security_events', ['security_events'], {
  LoginFailed: (e, tx) =>
    tx
      .insertInto('security_events')
      .values({
        id: e.id,
        tenant_id: e.metadata.tenantId,
        kind: 'login-failed',
        user_id: e.data.userId,
        email: e.data.email,
        detail: e.data.reason,
        ip: e.metadata.ip ?? null,
        user_agent: e.metadata.userAgent ?? null,
        occurred_at: e.metadata.occurredAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  RefreshTokenReused: (e, tx) =>
    tx
      .insertInto('security_events')
      .values({
        id: e.id,
        tenant_id: e.metadata.tenantId,
        kind: 'refresh-token-reuse',
        user_id: e.data.userId,
        email: null,
        detail: `session ${e.data.sessionId} ended`,
        ip: e.metadata.ip ?? null,
        user_agent: e.metadata.userAgent ?? null,
        occurred_at: e.metadata.occurredAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
});
