// Who I am, and the tenant's users.
import { sql } from 'kysely';
import { containing } from './page.js';
import type { TenantScope } from './scope.js';

export interface Me {
  user: { id: string; name: string; email: string; role: string; emailVerified: boolean; status: string };
  tenant: { id: string; companyName: string; defaultLocationId: string };
}

export async function me(scope: TenantScope, userId: string): Promise<Me | null> {
  const user = await scope
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role', 'email_verified', 'status'])
    .where('id', '=', userId)
    .executeTakeFirst();
  const tenant = await scope.selectFrom('tenants').select(['id', 'company_name', 'default_location_id']).executeTakeFirst();
  if (!user || !tenant) return null;
  const { email_verified: emailVerified, ...rest } = user;
  return {
    user: { ...rest, emailVerified },
    tenant: { id: tenant.id, companyName: tenant.company_name, defaultLocationId: tenant.default_location_id },
  };
}

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: string;
  status: string;
  emailVerified: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UserListParams {
  page: number;
  pageSize: number;
  search?: string | undefined;
  role?: string | undefined;
  status?: 'active' | 'deactivated' | undefined;
}

const userColumns = ['id', 'name', 'email', 'role', 'status', 'email_verified', 'created_at', 'last_login_at'] as const;

interface UserRow {
  id: string;
  name: string;
  email: string;
  role: string;
  status: string;
  email_verified: boolean;
  created_at: Date;
  last_login_at: Date | null;
}

const userView = (r: UserRow): UserView => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role,
  status: r.status,
  emailVerified: r.email_verified,
  createdAt: r.created_at.toISOString(),
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
});

export async function listUsers(scope: TenantScope, params: UserListParams): Promise<{ items: UserView[]; total: number }> {
  let query = scope.selectFrom('users');
  if (params.search) {
    const like = containing(params.search);
    query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('email', 'ilike', like)]));
  }
  if (params.role) query = query.where('role', '=', params.role);
  if (params.status) query = query.where('status', '=', params.status);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .select(userColumns)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute();
  return { total: Number(total), items: rows.map(userView) };
}

export async function getUser(scope: TenantScope, id: string): Promise<UserView | null> {
  const row = await scope.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
  return row ? userView(row) : null;
}
