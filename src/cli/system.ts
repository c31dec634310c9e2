// The composition root: one database connection, the event store, the read models,
// the command side and the projection runners, wired once for every process role.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Connection } from '../database.js';
import { createCommands, type Commands } from '../commands/index.js';
import { EventStoreDbEventStore } from '../eventstore/eventstoredb.js';
import type { EventStore } from '../eventstore/port.js';
import { PostgresEventStore } from '../eventstore/postgres.js';
import { PostgresSnapshotStore } from '../eventstore/snapshots.js';
import { projections } from '../projections/index.js';
import { eventTypesOf } from '../projections/projection.js';
import { createReadDb, migrateReadDb, type ReadDb } from '../projections/read-db.js';
import { ProjectionRunner } from '../projections/runner.js';
import { Secrets } from '../commands/secrets.js';
import { mailReactor } from '../reactors/mail-reactor.js';
import { createMailer, type MailOptions } from '../reactors/mail-transport.js';
import { ReactorRunner } from '../reactors/runner.js';
import { recoverSales as recover } from '../reactors/sale-recovery.js';

export interface System {
  connection: Connection;
  store: EventStore;
  db: ReadDb;
  commands: Commands;
  runners: ProjectionRunner[];
  /** Side effects (mail); empty when the system was opened without mail settings. */
  reactors: ReactorRunner[];
  /** Names of every projection, for status reports. */
  projections: string[];
  projectionEventTypes: Record<string, string[]>;
  startProjections(): void;
  /** Starts the reactors and the sweep that recovers sales left half-way. */
  startReactors(): void;
  /** Drives sales and restocks left half-way (for longer than the grace period) to an end. */
  recoverSales(now?: Date): Promise<number>;
  close(): Promise<void>;
}

export interface SystemOptions {
  logger: Logger;
  /** An esdb:// URL puts the event log on EventStoreDB; without it the log is in the SQL database. */
  eventStoreUrl?: string | undefined;
  /** How often an idle subscription polls for other processes' events. */
  pollIntervalMs?: number;
  /** The deployment's secret (JWT_SECRET): one-time codes are derived from it, here and in the mail reactor. */
  secret?: string | undefined;
  /** How long a sale may stay pending before recovery drives it to an end (default 30 s). */
  saleRecoveryGraceMs?: number;
  /** Mail delivery; without it no mail reactor exists (tools, benchmarks). */
  mail?: (MailOptions & { appUrl?: string | undefined }) | undefined;
}

export async function createSystem(connection: Connection, options: SystemOptions): Promise<System> {
  const store = await openStore(connection, options);
  const db = createReadDb(connection);
  await migrateReadDb(db);
  const runners = projections.map((p) => new ProjectionRunner(p, { store, db, connection, logger: options.logger }));
  const secret = options.secret ?? randomBytes(32).toString('hex');
  const mailer = options.mail ? createMailer(options.mail, options.logger) : null;
  const reactors = mailer
    ? [new ReactorRunner(mailReactor({ mailer, secrets: new Secrets(secret), appUrl: options.mail?.appUrl }), { store, db, connection, logger: options.logger })]
    : [];
  const snapshots = new PostgresSnapshotStore(connection.pool);
  await snapshots.migrate();
  const commands = createCommands(store, { secret, snapshots });
  // A live sale ends within milliseconds; one still pending after this was abandoned.
  const graceMs = options.saleRecoveryGraceMs ?? 30_000;
  const recoverSales = (now?: Date) => recover(db, commands, options.logger, graceMs, now);
  let sweeper: NodeJS.Timeout | undefined;
  return {
    connection,
    store,
    db,
    commands,
    runners,
    reactors,
    projections: projections.map((p) => p.name),
    projectionEventTypes: Object.fromEntries(projections.map((p) => [p.name, eventTypesOf(p)])),
    startProjections: () => runners.forEach((r) => r.start()),
    recoverSales,
    startReactors: () => {
      reactors.forEach((r) => r.start());
      const sweep = () => recoverSales().catch((err: unknown) => options.logger.error({ err }, 'sale recovery failed'));
      sweeper = setInterval(sweep, Math.min(graceMs, 10_000)).unref();
    },
    async close() {
      clearInterval(sweeper);
      await Promise.all([...runners, ...reactors].map((r) => r.stop()));
      mailer?.close();
      await store.close();
      // The pool belongs to the connection (Kysely's destroy would end it a second time).
      await connection.close();
    },
  };
}

async function openStore(connection: Connection, options: SystemOptions): Promise<EventStore> {
  if (options.eventStoreUrl) return new EventStoreDbEventStore(options.eventStoreUrl);
  const store = new PostgresEventStore(connection.pool, { pollIntervalMs: options.pollIntervalMs ?? 50 });
  await store.migrate();
  return store;
}
