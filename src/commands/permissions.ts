// Who may do what: the one permission matrix. Routes ask `app.can(permission)`; the
// user decider asks it too for role changes. The README's table is generated from this
// (test/identity/permissions.test.ts keeps the two equal).
import type { Role } from '../events/identity.js';

export const roles = ['owner', 'admin', 'manager', 'salesperson', 'viewer'] as const satisfies readonly Role[];

export const permissions = {
  'inventory:read': 'see products, stock, locations and categories',
  'inventory:write': 'change products, receive, adjust, transfer and count stock',
  'sales:read': 'see sales and customers',
  'sales:write': 'record sales and manage customers',
  'sales:void': 'void a sale',
  'reports:read': 'see valuation, dashboards and alerts',
  'company:read': 'see the company profile and settings',
  'settings:manage': 'change the settings',
  'company:manage': 'change the company profile and onboarding',
  'users:manage': 'invite people, change roles, deactivate users',
  'audit:read': 'read the audit log and the security view',
  'ownership:transfer': 'hand the company to another user',
} as const;
export type Permission = keyof typeof permissions;

const everyone: readonly Role[] = roles;
const managers: readonly Role[] = ['owner', 'admin', 'manager'];
const admins: readonly Role[] = ['owner', 'admin'];

const matrix: Record<Permission, readonly Role[]> = {
  'inventory:read': everyone,
  'inventory:write': managers,
  'sales:read': everyone,
  'sales:write': ['owner', 'admin', 'manager', 'salesperson'],
  'sales:void': managers,
  // A salesperson sells and reads stock; valuation and margins are for the rest.
  'reports:read': ['owner', 'admin', 'manager', 'viewer'],
  'company:read': everyone,
  'settings:manage': admins,
  'company:manage': ['owner'],
  'users:manage': admins,
  'audit:read': admins,
  'ownership:transfer': ['owner'],
};

/**
 * Permissions that also need a verified email: they hand out access or send mail to
 * other people, so they wait until the address is proven. Everything else is open to
 * an unverified user from the first minute.
 */
export const needsVerifiedEmail: ReadonlySet<Permission> = new Set(['users:manage', 'ownership:transfer']);

export const can = (role: string, permission: Permission): boolean => (matrix[permission] as readonly string[]).includes(role);

export const permissionsOf = (role: string): Permission[] => (Object.keys(matrix) as Permission[]).filter((p) => can(role, p));

export const isRole = (role: string): role is Role => (roles as readonly string[]).includes(role);

/** The matrix as the README shows it (a test keeps the README equal to this). */
export function permissionTable(): string {
  const head = `| permission | ${roles.join(' | ')} | what it allows |`;
  const rule = `|---|${roles.map(() => ':-:').join('|')}|---|`;
  const rows = (Object.keys(matrix) as Permission[]).map(
    (p) => `| \`${p}\`${needsVerifiedEmail.has(p) ? ' ✉' : ''} | ${roles.map((r) => (can(r, p) ? '✓' : '')).join(' | ')} | ${permissions[p]} |`,
  );
  return [head, rule, ...rows].join('\n');
}
