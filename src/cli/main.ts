#!/usr/bin/env node
// The `stockbook` command. Configuration comes only from the environment (and .env).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { buildApp } from '../api/app.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { connect } from '../database.js';
import { projections } from '../projections/index.js';
import { checkpointOf } from '../projections/runner.js';
import { formatPosition } from '../eventstore/port.js';
import { createSystem, type System } from './system.js';

const USAGE = `Usage: stockbook <command>

  start                      API + projections + reactors (mail) in one process (embedded database under DATA_DIR
                             unless DATABASE_URL is set)
  serve                      the API only
  project                    the projection runners and reactors (mail) only
  migrate                    create or update the event store and read-model tables, then exit
  projections list           each projection with its checkpoint
  projections rebuild <name> clear a projection's tables and replay the log into them
`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true });
  const [command, sub, name] = positionals;
  if (!command || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'stockbook', role: command } });

  switch (command) {
    case 'start':
      return run(config, logger, { api: true, projections: true });
    case 'serve':
      return run(config, logger, { api: true, projections: false });
    case 'project':
      return run(config, logger, { api: false, projections: true });
    case 'migrate':
      await withSystem(config, logger, async () => logger.info('migrations applied'));
      return 0;
    case 'projections':
      if (sub === 'list') return withSystem(config, logger, listProjections);
      if (sub === 'rebuild' && name) return withSystem(config, logger, (s) => rebuild(s, name, logger));
      break;
  }
  process.stderr.write(USAGE);
  return 1;
}

async function open(config: Config, logger: Logger): Promise<System> {
  const connection = await connect({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  logger.info(
    { database: connection.kind, eventStore: config.eventStore.kind, dataDir: connection.kind === 'pglite' ? config.dataDir : undefined },
    'database connected',
  );
  return createSystem(connection, {
    logger,
    eventStoreUrl: config.eventStore.kind === 'eventstoredb' ? config.eventStore.url : undefined,
    secret: config.jwtSecret,
    mail: config.mail,
  });
}

async function withSystem(config: Config, logger: Logger, fn: (s: System) => Promise<unknown>): Promise<number> {
  const system = await open(config, logger);
  try {
    await fn(system);
    return 0;
  } finally {
    await system.close();
  }
}

async function run(config: Config, logger: Logger, roles: { api: boolean; projections: boolean }): Promise<number> {
  const system = await open(config, logger);
  const app = roles.api
    ? await buildApp({
        ...system,
        logger,
        jwtSecret: config.jwtSecret,
        bodyLimit: config.bodyLimit,
        readWaitMs: config.readWaitMs,
        cookieSecure: config.cookieSecure,
        trustProxy: config.trustProxy,
        rateLimit: config.rateLimit,
        google: config.google,
      })
    : null;
  if (roles.projections) {
    system.startProjections();
    system.startReactors();
  }
  if (app) await app.listen({ port: config.port, host: config.host });

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Stop taking requests and let those in flight finish, then stop the runners and
  // close the database. A stuck shutdown is cut short rather than hanging forever.
  const force = setTimeout(() => {
    logger.error('shutdown timed out');
    process.exit(1);
  }, 15_000).unref();
  await app?.close();
  await system.close();
  clearTimeout(force);
  return 0;
}

async function listProjections(system: System): Promise<void> {
  for (const p of projections) {
    const at = await checkpointOf(system.db, p.name);
    process.stdout.write(`${p.name.padEnd(16)} ${at ? formatPosition(at) : '(not started)'}\n`);
  }
}

async function rebuild(system: System, name: string, logger: Logger): Promise<void> {
  const runner = system.runners.find((r) => r.projection.name === name);
  if (!runner) throw new CliError(`No projection "${name}". Try: stockbook projections list`);
  logger.info({ projection: name }, 'rebuilding (waits for a running projector to release the projection)');
  const started = Date.now();
  await runner.rebuild();
  logger.info({ projection: name, seconds: (Date.now() - started) / 1000 }, 'rebuilt');
}

class CliError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof CliError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
