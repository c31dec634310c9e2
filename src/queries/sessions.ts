// Signed-in devices (one's own, or every active one of the tenant for its admins) and
// the security events of the tenant.
import type { TenantScope } from './scope.js';

export interface SessionView {
  id: string;
  userId: string;
  method: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

interface SessionRow {
  id: string;
  user_id: string;
  method: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
}

const sessionView = (r: SessionRow): SessionView => ({
  id: r.id,
  userId: r.user_id,
  method: r.method,
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});

const columns = ['id', 'user_id', 'method', 'ip', 'user_agent', 'created_at', 'last_used_at', 'expires_at'] as const;

const active = (scope: TenantScope, now: Date) =>
  scope.selectFrom('sessions').where('revoked_at', 'is', null).where('expires_at', '>', now);

/** The user's active sessions, most recently used first. */
export async function userSessions(scope: TenantScope, userId: string, now: Date): Promise<SessionView[]> {
  const rows = await active(scope, now).select(columns).where('user_id', '=', userId).orderBy('last_used_at', 'desc').execute();
  return rows.map(sessionView);
}

/** Every active session of the tenant, with whose it is. */
export async function tenantSessions(
  scope: TenantScope,
  now: Date,
  page: { page: number; pageSize: number },
): Promise<{ items: (SessionView & { userName: string | null; userEmail: string | null })[]; total: number }> {
  const base = active(scope, now);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .select(columns)
    // The user of a session is in the same tenant: the correlated lookups stay inside it.
    .select((eb) => [
      eb.selectFrom('users').select('name').whereRef('users.id', '=', 'sessions.user_id').whereRef('users.tenant_id', '=', 'sessions.tenant_id').as('user_name'),
      eb.selectFrom('users').select('email').whereRef('users.id', '=', 'sessions.user_id').whereRef('users.tenant_id', '=', 'sessions.tenant_id').as('user_email'),
    ])
    .orderBy('last_used_at', 'desc')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute();
  return { total: Number(total), items: rows.map((r) => ({ ...sessionView(r), userName: r.user_name, userEmail: r.user_email })) };
}

export interface SecurityEventView {
  id: string;
  kind: string;
  userId: string;
  email: string | null;
  detail: string | null;
  ip: string | null;
  userAgent: string | null;
  occurredAt: string;
}

/** Failed logins and refresh-token reuse since `since`, newest first. */
export async function securityEvents(
  scope: TenantScope,
  params: { since: Date; kind?: 'login-failed' | 'refresh-token-reuse' | undefined; page: number; pageSize: number },
): Promise<{ items: SecurityEventView[]; total: number }> {
  let query = scope.selectFrom('security_events').where('occurred_at', '>=', params.since);
  if (params.kind) query = query.where('kind', '=', params.kind);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      userId: r.user_id,
      email: r.email,
      detail: r.detail,
      ip: r.ip,
      userAgent: r.user_agent,
      occurredAt: r.occurred_at.toISOString(),
    })),
  };
}
