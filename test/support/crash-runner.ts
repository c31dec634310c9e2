// Child process for the crash test: runs the tally projection and kills itself with
// SIGKILL (no cleanup, no rollback by the process) while applying event number CRASH_AT.
import { pino } from 'pino';
import { connect } from '../../src/database.js';
import { PostgresEventStore } from '../../src/eventstore/postgres.js';
import { createReadDb } from '../../src/projections/read-db.js';
import { ProjectionRunner } from '../../src/projections/runner.js';
import { tallyProjection } from './tally.js';

const crashAt = Number(process.env.CRASH_AT);
const connection = await connect(JSON.parse(process.env.DB_OPTIONS!));
const store = new PostgresEventStore(connection.pool);
let applied = 0;
const runner = new ProjectionRunner(
  tallyProjection(() => {
    if (++applied === crashAt) process.kill(process.pid, 'SIGKILL');
  }),
  { store, db: createReadDb(connection), connection, logger: pino({ level: 'silent' }), batchSize: Number(process.env.BATCH_SIZE) },
);
await runner.catchUp();
process.stdout.write('caught up without crashing\n');
process.exit(0);
