import type { TenantScope } from './scope.js';

export interface InvitationView {
  id: string;
  email: string;
  role: string;
  /** pending, accepted, revoked, or expired (a pending one past its expiry). */
  status: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedBy: string | null;
}

export async function listInvitations(
  scope: TenantScope,
  params: { now: Date; status?: string | undefined; page: number; pageSize: number },
): Promise<{ items: InvitationView[]; total: number }> {
  let query = scope.selectFrom('invitations');
  if (params.status === 'expired') query = query.where('status', '=', 'pending').where('expires_at', '<=', params.now);
  else if (params.status === 'pending') query = query.where('status', '=', 'pending').where('expires_at', '>', params.now);
  else if (params.status) query = query.where('status', '=', params.status);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      status: r.status === 'pending' && r.expires_at <= params.now ? 'expired' : r.status,
      invitedBy: r.invited_by,
      createdAt: r.created_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      acceptedBy: r.accepted_by,
    })),
  };
}
