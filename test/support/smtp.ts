// A real SMTP server on loopback (the `smtp-server` package): the mail reactor sends to
// it over SMTP, and tests read the codes out of what arrived.
import { SMTPServer } from 'smtp-server';
import type { Test } from './tap.js';

export interface ReceivedMail {
  to: string[];
  subject: string;
  messageId: string;
  text: string;
}

export interface TestMailbox {
  url: string;
  received: ReceivedMail[];
  /** The next mail to `to` not yet taken; waits for it. */
  next(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** Resolves when no mail to `to` arrives within `ms` (fails the test otherwise). */
  nothingFor(to: string, ms: number): Promise<boolean>;
}

export async function testSmtp(t: Test): Promise<TestMailbox> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address.toLowerCase())));
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const find = (to: string) => received.find((m) => !taken.has(m) && m.to.includes(to.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async next(to, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = find(to);
        if (mail) {
          taken.add(mail);
          return mail;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 100);
        });
      }
    },
    async nothingFor(to, ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return find(to) === undefined;
    },
  };
}

/** The six-digit code on its own line. */
export const codeIn = (mail: ReceivedMail): string => {
  const m = /^(\d{6})$/m.exec(mail.text);
  if (!m) throw new Error(`no code in mail "${mail.subject}"`);
  return m[1]!;
};

/** The invitation code on its own line. */
export const invitationCodeIn = (mail: ReceivedMail): string => {
  const m = /^([A-Za-z0-9_-]{86})$/m.exec(mail.text);
  if (!m) throw new Error(`no invitation code in mail "${mail.subject}"`);
  return m[1]!;
};

// Enough of RFC 5322 / MIME for the plain-text mails the reactor writes.
function parse(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  if (/quoted-printable/i.test(header('Content-Transfer-Encoding'))) {
    body = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  } else if (/base64/i.test(header('Content-Transfer-Encoding'))) {
    body = Buffer.from(body, 'base64').toString('utf8');
  }
  return { to, subject: decodeWords(header('Subject')), messageId: header('Message-ID'), text: body.replace(/\r\n/g, '\n') };
}

const decodeWords = (text: string) =>
  text.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))),
  );
