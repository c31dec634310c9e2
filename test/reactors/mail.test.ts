// The mail reactor: at-least-once with dedup by event id, its own checkpoint, never
// re-sent by a projection rebuild, stale codes skipped, failures retried; and the
// embedded default that writes .eml files to the outbox and logs them.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import t from 'tap';
import { createSystem, type System } from '../../src/cli/system.js';
import { Secrets } from '../../src/commands/secrets.js';
import { mailReactor } from '../../src/reactors/mail-reactor.js';
import type { Mailer, OutgoingMail } from '../../src/reactors/mail-transport.js';
import { ReactorRunner } from '../../src/reactors/runner.js';
import { testDatabase } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { codeIn, testSmtp } from '../support/smtp.js';
import type { Test } from '../support/tap.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const origin = () => ({ correlationId: 'test', causationId: 'test', now: new Date() });

async function system(t: Test, mail: { smtpUrl?: string; outboxDir: string }, logs?: string[]): Promise<System> {
  const { connection } = await testDatabase(t);
  const sink = new Writable({ write: (chunk: Buffer, _e, done) => (logs?.push(chunk.toString()), done()) });
  const logger = pino({ level: 'info' }, sink);
  const s = await createSystem(connection, { logger, pollIntervalMs: 10, secret: SECRET, mail: { ...mail, from: 'Stockbook <no-reply@stockbook.test>' } });
  t.teardown(async () => {
    await Promise.all([...s.runners, ...s.reactors].map((r) => r.stop()));
    await s.store.close();
  });
  return s;
}

const mailRunner = (s: System) => s.reactors.find((r) => r.reactor.name === 'mail')!;

// On Postgres a catch-up may end a moment before the newest commits become readable
// (see test/support/eventually.ts): catch up again until the reactor recorded `n` events.
async function catchUpUntil(s: System, runner: ReactorRunner, n: number): Promise<void> {
  const recorded = async () => {
    await runner.catchUp();
    const rows = await s.db.selectFrom('reactor_deliveries').select('event_id').where('reactor', '=', 'mail').execute();
    return rows.length;
  };
  await eventually(recorded, (count) => count >= n);
}

const register = (s: System, email: string) => s.commands.registerCompany({ companyName: 'Acme', name: 'Ann', email, password: 'correct horse battery staple' }, origin());

t.test('sent once over SMTP; a lost checkpoint re-sends nothing; a lost delivery record re-sends (at least once)', async (t) => {
  const mailbox = await testSmtp(t);
  const s = await system(t, { smtpUrl: mailbox.url, outboxDir: '/nonexistent' });
  s.startReactors();
  await register(s, 'ann@example.test');
  const first = await mailbox.next('ann@example.test');
  const code = codeIn(first);

  // The checkpoint is lost: the reactor reads the log again, and recognises what it did.
  await mailRunner(s).stop();
  await s.db.deleteFrom('reactor_checkpoints').where('name', '=', 'mail').execute();
  const sent: OutgoingMail[] = [];
  const recording = new ReactorRunner(mailReactor({ mailer: recorder(sent), secrets: new Secrets(SECRET) }), { store: s.store, db: s.db, connection: s.connection, logger: pino({ level: 'silent' }) });
  await catchUpUntil(s, recording, 1);
  t.same(sent, [], 'dedup by event id: nothing sent twice');

  // A crash after sending but before recording it: the mail goes again, with the same Message-ID.
  await s.db.deleteFrom('reactor_deliveries').where('reactor', '=', 'mail').execute();
  await s.db.deleteFrom('reactor_checkpoints').where('name', '=', 'mail').execute();
  await catchUpUntil(s, recording, 1);
  t.equal(sent.length, 1, 'at least once');
  t.equal(sent[0]!.messageId, first.messageId, 'the same Message-ID, so the receiver can drop the repeat');
  t.ok(sent[0]!.text.includes(code), 'the same code: it is derived from the event, not stored');
  const delivered = await s.db.selectFrom('reactor_deliveries').selectAll().where('reactor', '=', 'mail').execute();
  t.match(delivered, [{ reactor: 'mail', status: 'done' }]);
});

t.test('a projection rebuild sends nothing', async (t) => {
  const mailbox = await testSmtp(t);
  const s = await system(t, { smtpUrl: mailbox.url, outboxDir: '/nonexistent' });
  s.startReactors();
  await register(s, 'bob@example.test');
  await mailbox.next('bob@example.test');
  for (const runner of s.runners) await runner.catchUp();
  for (const runner of s.runners) await runner.rebuild();
  t.ok(await mailbox.nothingFor('bob@example.test', 1000), 'no second mail');
  t.equal(mailbox.received.length, 1);
});

t.test('a code that expired before it could be sent is skipped, not mailed', async (t) => {
  const mailbox = await testSmtp(t);
  const s = await system(t, { smtpUrl: mailbox.url, outboxDir: '/nonexistent' });
  const longAgo = { ...origin(), now: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000) };
  await s.commands.registerCompany({ companyName: 'Old', name: 'Old', email: 'old@example.test', password: 'correct horse battery staple' }, longAgo);
  await catchUpUntil(s, mailRunner(s), 1);
  t.ok(await mailbox.nothingFor('old@example.test', 300));
  t.match(await s.db.selectFrom('reactor_deliveries').selectAll().where('reactor', '=', 'mail').execute(), [{ status: 'skipped', detail: 'expired before it was sent' }]);
});

t.test('a failing mail server is retried; an event that keeps failing is recorded and passed over', async (t) => {
  const s = await system(t, { outboxDir: '/nonexistent' });
  await register(s, 'first@example.test');
  await register(s, 'second@example.test');
  const sent: OutgoingMail[] = [];
  let failures = 0;
  const flaky: Mailer = {
    async send(mail) {
      if (mail.to === 'first@example.test') throw new Error('connection refused');
      if (failures++ < 2) throw new Error('421 try again later');
      sent.push(mail);
      return 'ok';
    },
    close: () => undefined,
  };
  const runner = new ReactorRunner(mailReactor({ mailer: flaky, secrets: new Secrets(SECRET) }), {
    store: s.store,
    db: s.db,
    connection: s.connection,
    logger: pino({ level: 'silent' }),
    attempts: 3,
    backoffMs: 5,
  });
  await catchUpUntil(s, runner, 2);
  t.same(sent.map((m) => m.to), ['second@example.test'], 'the second mail went out after two retries');
  const rows = await s.db.selectFrom('reactor_deliveries').select(['status', 'detail']).where('reactor', '=', 'mail').orderBy('at').execute();
  t.match(rows, [{ status: 'failed', detail: 'connection refused' }, { status: 'done' }]);
});

t.test('the embedded default writes each mail to the outbox and logs it, without the code', async (t) => {
  const outbox = mkdtempSync(join(tmpdir(), 'stockbook-outbox-'));
  t.teardown(() => rmSync(outbox, { recursive: true, force: true }));
  const logs: string[] = [];
  const s = await system(t, { outboxDir: outbox }, logs);
  s.startReactors();
  await register(s, 'dev@example.test');
  let files: string[] = [];
  for (let i = 0; i < 200 && files.length === 0; i++) {
    await sleep(25);
    files = readdirSync(outbox);
  }
  t.equal(files.length, 1, 'one .eml file');
  t.match(files[0], /\.eml$/);
  const eml = readFileSync(join(outbox, files[0]!), 'utf8');
  t.match(eml, /To: dev@example\.test/);
  const code = /^(\d{6})$/m.exec(eml)?.[1];
  t.ok(code, 'the code is in the mail');
  const logged = logs.join('');
  t.match(logged, /mail written to the outbox/);
  t.match(logged, /dev@example\.test/);
  t.notOk(logged.includes(code!), 'the code is not in the logs');
});

function recorder(sent: OutgoingMail[]): Mailer {
  return {
    async send(mail) {
      sent.push(mail);
      return 'recorded';
    },
    close: () => undefined,
  };
}
