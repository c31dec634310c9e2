// The company: its profile, the end of its onboarding, and its settings, all on the
// tenant stream. `ifRevision` is the HTTP If-Match: a stale one is precondition-failed.
// The acting user's role is read from their stream (a demotion counts at once).
import type { CompanyProfile, TenantSettings } from '../events/tenant.js';
import { streams } from '../events/streams.js';
import type { CommandContext } from './context.js';
import { DomainError } from './errors.js';
import type { IdentityHandlers } from './identity-handlers.js';
import { can, type Permission } from './permissions.js';
import type { Changed } from './team-service.js';

export function createCompanyCommands(h: IdentityHandlers) {
  const onTenant = async (
    ctx: CommandContext,
    permission: Permission,
    command: Parameters<IdentityHandlers['tenant']['handle']>[1],
    ifRevision?: bigint,
  ): Promise<Changed> => {
    const me = await h.account(ctx.tenantId, ctx.actorId);
    if (me.status !== 'active' || !can(me.role, permission)) throw new DomainError('forbidden', { reason: `your role does not allow ${permission}` });
    const done = await h.tenant.handle(streams.tenant(ctx.tenantId), command, ctx, ifRevision === undefined ? {} : { ifRevision });
    return { id: ctx.tenantId, revision: done.revision, position: done.position };
  };

  return {
    async updateCompanyProfile(
      ctx: CommandContext,
      changes: Partial<CompanyProfile>,
      options: { onboardingCompleted?: boolean; ifRevision?: bigint } = {},
    ): Promise<Changed> {
      let result = await onTenant(ctx, 'company:manage', { type: 'UpdateProfile', data: changes }, options.ifRevision);
      if (options.onboardingCompleted) {
        const completed = await onTenant(ctx, 'company:manage', { type: 'CompleteOnboarding' });
        if (completed.position) result = completed;
      }
      return result;
    },

    changeSettings: (ctx: CommandContext, settings: TenantSettings, ifRevision?: bigint): Promise<Changed> =>
      onTenant(ctx, 'settings:manage', { type: 'ChangeSettings', data: settings }, ifRevision),
  };
}
