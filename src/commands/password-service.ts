// Passwords: the three-step reset (request a code by mail -> trade the code for a reset
// token -> set the new password, which ends every session) and the change of a known
// password. Unknown emails get the same answers as known ones.
import argon2 from 'argon2';
import { normalizeEmail, streams } from '../events/streams.js';
import type { Position } from '../eventstore/port.js';
import { newId, type CommandContext } from './context.js';
import { DomainError } from './errors.js';
import { hashPassword, later, type IdentityHandlers, type RequestOrigin } from './identity-handlers.js';
import { decodeToken, encodeToken, sha256, type Secrets } from './secrets.js';

/** A reset code is valid this long. */
export const RESET_CODE_TTL_MS = 60 * 60 * 1000;
/** The reset token (after the code) must be used within this long. */
export const RESET_TOKEN_TTL_MS = 15 * 60 * 1000;

export function createPasswordCommands(h: IdentityHandlers, secrets: Secrets) {
  return {
    /** Mails a reset code when the email belongs to an active account; does nothing otherwise. */
    async requestPasswordReset(email: string, request: RequestOrigin): Promise<void> {
      const account = await h.accountByEmail(normalizeEmail(email));
      if (!account) return;
      const eventId = newId();
      const codeHash = secrets.codeHash('reset-password', account.userId, secrets.code(eventId));
      const ctx = { ...request, tenantId: account.tenantId, actorId: 'system:password-reset' };
      await h.user.handle(
        streams.user(account.tenantId, account.userId),
        { type: 'RequestPasswordReset', data: { codeHash, now: request.now, expiresAt: later(request.now, RESET_CODE_TTL_MS), ip: request.ip ?? null } },
        ctx,
        { eventIds: () => eventId },
      );
    },

    /** Trades a right code for a single-use reset token. */
    async verifyResetCode(email: string, code: string, request: RequestOrigin): Promise<{ resetToken: string; expiresAt: Date }> {
      const account = await h.accountByEmail(normalizeEmail(email));
      if (!account) throw new DomainError('invalid-code');
      const resetToken = encodeToken({ tenantId: account.tenantId, id: account.userId });
      const expiresAt = later(request.now, RESET_TOKEN_TTL_MS);
      const codeHash = secrets.codeHash('reset-password', account.userId, code);
      const ctx = { ...request, tenantId: account.tenantId, actorId: 'system:password-reset' };
      await h.user.handle(
        streams.user(account.tenantId, account.userId),
        { type: 'VerifyResetCode', data: { codeHash, now: request.now, resetTokenHash: sha256(resetToken), expiresAt } },
        ctx,
      );
      return { resetToken, expiresAt };
    },

    /** Sets the new password and ends every session of the account. */
    async resetPassword(resetToken: string, newPassword: string, request: RequestOrigin): Promise<Position> {
      const parts = decodeToken(resetToken);
      if (!parts) throw new DomainError('invalid-reset-token');
      const { state } = await h.user.load(streams.user(parts.tenantId, parts.id));
      if (state.status === 'none') throw new DomainError('invalid-reset-token');
      const passwordHash = await hashPassword(newPassword);
      const ctx = { ...request, tenantId: parts.tenantId, actorId: parts.id };
      const done = await h.user.handle(
        streams.user(parts.tenantId, parts.id),
        { type: 'ResetPassword', data: { resetTokenHash: sha256(resetToken), passwordHash, now: request.now } },
        ctx,
      );
      return done.position!;
    },

    /** Changes a known password; every other session of the account ends. */
    async changePassword(ctx: CommandContext, sessionId: string | null, currentPassword: string, newPassword: string): Promise<Position> {
      const account = await h.account(ctx.tenantId, ctx.actorId);
      if (!account.passwordHash || !(await argon2.verify(account.passwordHash, currentPassword))) throw new DomainError('wrong-password');
      const passwordHash = await hashPassword(newPassword);
      const done = await h.user.handle(
        streams.user(ctx.tenantId, ctx.actorId),
        { type: 'ChangePassword', data: { passwordHash, now: ctx.now, currentSessionId: sessionId } },
        ctx,
      );
      return done.position!;
    },
  };
}
