// Mails the codes the identity commands issue: verification, password reset and
// invitations. The event holds only the code's digest; the code is derived again here
// from the event id and the server secret (see src/commands/secrets.ts). A code that
// expired before it could be sent (a reactor far behind, or a new reactor reading an
// old log) is skipped rather than mailed uselessly.
import { decodeToken, encodeToken, sameDigest, sha256, type Secrets } from '../commands/secrets.js';
import type { Stored } from '../events/index.js';
import type { Mailer } from './mail-transport.js';
import { invitationMail, passwordResetMail, verificationMail, type MailText } from './mails.js';
import type { Outcome, Reactor } from './runner.js';

export interface MailReactorOptions {
  mailer: Mailer;
  secrets: Secrets;
  /** The frontend's base URL, for links in mails (optional). */
  appUrl?: string | undefined;
  now?: () => Date;
}

export function mailReactor({ mailer, secrets, appUrl, now = () => new Date() }: MailReactorOptions): Reactor {
  const send = async (event: Stored, to: string, expiresAt: string, mail: () => MailText | null): Promise<Outcome> => {
    if (Date.parse(expiresAt) <= now().getTime()) return { status: 'skipped', detail: 'expired before it was sent' };
    const text = mail();
    // A digest that does not match means the secret changed since the code was issued.
    if (!text) return { status: 'skipped', detail: 'the server secret no longer matches this code' };
    const detail = await mailer.send({ to, ...text, messageId: `<${event.id}@stockbook>` });
    return { status: 'done', detail };
  };

  return {
    name: 'mail',
    eventTypes: ['EmailVerificationRequested', 'PasswordResetRequested', 'InvitationCreated'],
    async react(event) {
      switch (event.type) {
        case 'EmailVerificationRequested': {
          const { userId, email, codeHash, expiresAt } = event.data;
          return send(event, email, expiresAt, () => {
            const code = secrets.code(event.id);
            return sameDigest(secrets.codeHash('verify-email', userId, code), codeHash) ? verificationMail(code, appUrl) : null;
          });
        }
        case 'PasswordResetRequested': {
          const { userId, email, codeHash, expiresAt, requestedFromIp } = event.data;
          return send(event, email, expiresAt, () => {
            const code = secrets.code(event.id);
            return sameDigest(secrets.codeHash('reset-password', userId, code), codeHash) ? passwordResetMail(code, requestedFromIp, appUrl) : null;
          });
        }
        case 'InvitationCreated': {
          const { invitationId, email, codeHash, expiresAt } = event.data;
          return send(event, email, expiresAt, () => {
            const code = encodeToken({ tenantId: event.metadata.tenantId, id: invitationId }, secrets.secret(event.id));
            return sameDigest(sha256(code), codeHash) && decodeToken(code) ? invitationMail({ ...event.data, code }, appUrl) : null;
          });
        }
        default:
          return { status: 'skipped', detail: 'not a mail event' };
      }
    },
  };
}
