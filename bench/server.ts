// Stockbook as the bench runs it (a child process, see child.ts): the `start` role, API,
// projections and reactors in one process as deployed, on the bench's schema, silent.
// No mail settings, so no reactor runs; the sale-recovery sweep does.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { z } from 'zod';
import { buildApp } from '../src/api/app.js';
import { createSystem } from '../src/cli/system.js';
import { connect } from '../src/database.js';
import { serve } from './serve.js';

const env = z.object({ BENCH_DATABASE_URL: z.string().min(1), BENCH_SCHEMA: z.string().min(1) }).parse(process.env);
const logger = pino({ level: 'silent' });
const connection = await connect({ url: env.BENCH_DATABASE_URL, schema: env.BENCH_SCHEMA });
const system = await createSystem(connection, { logger });

const commits = new Map<string, number>();
const app = await buildApp({
  ...system,
  commands: counted(system.commands, commits),
  logger,
  jwtSecret: randomBytes(32).toString('hex'),
  bodyLimit: 1_048_576,
  // Only the bench's checks send X-Min-Log-Position; after a long run the projections
  // may be well behind, and waiting beats retrying.
  readWaitMs: 30_000,
});
system.startProjections();
system.startReactors();
await serve(app, { counters: () => Object.fromEntries(commits), close: () => system.close() });

/**
 * `commands` with each completed (resolved) call counted by name: the commits. A call that
 * resolves to a rejection (a sale short of stock, given back whole) sold nothing, so it
 * counts apart, as `<name>:rejected`.
 */
function counted<T extends object>(commands: T, counts: Map<string, number>): T {
  const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const rejected = (done: unknown) => typeof done === 'object' && done !== null && 'status' in done && done.status === 'rejected';
  return new Proxy(commands, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then((done: unknown) => {
          count(rejected(done) ? `${key}:rejected` : key);
          return done;
        });
      };
    },
  });
}
