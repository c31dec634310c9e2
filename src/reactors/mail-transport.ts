// Where mail goes: an SMTP server when SMTP_URL is set; otherwise (the embedded
// default) each message is written as an .eml file to an outbox folder and logged, so
// that a developer reads the codes there. Logs carry who and what, never the body.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Derived from the event, so a receiver can drop a repeat delivered after a crash. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<string>;
  close(): void;
}

export interface MailOptions {
  /** smtp://user:pass@host:port (or smtps://); unset writes to `outboxDir`. */
  smtpUrl?: string | undefined;
  outboxDir: string;
  from: string;
}

export function createMailer(options: MailOptions, logger: Logger): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(mail) {
        const info = await transport.sendMail({ from: options.from, ...mail });
        return `sent over SMTP (${String(info.response ?? 'ok')})`;
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, ...mail });
      mkdirSync(options.outboxDir, { recursive: true });
      const file = join(options.outboxDir, `${new Date().toISOString().replaceAll(':', '-')}-${fileSafe(mail.messageId)}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      logger.info({ to: mail.to, subject: mail.subject, file }, 'mail written to the outbox (set SMTP_URL to send it)');
      return `written to ${file}`;
    },
    close: () => transport.close(),
  };
}

const fileSafe = (text: string) => text.replace(/[^\w.-]+/g, '');
