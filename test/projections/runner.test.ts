import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { PostgresEventStore } from '../../src/eventstore/postgres.js';
import { parsePosition } from '../../src/eventstore/port.js';
import { createReadDb, migrateReadDb } from '../../src/projections/read-db.js';
import { ProjectionRunner, checkpointOf } from '../../src/projections/runner.js';
import { backend, testDatabase } from '../support/db.js';
import type { Test } from '../support/tap.js';
import { appendReceipts, createTallyTable, tallyCounts, tallyProjection } from '../support/tally.js';
import type { Connection } from '../../src/database.js';

const logger = pino({ level: 'silent' });

async function setUp(t: Test, opts: { dataDir?: string } = {}) {
  const database = await testDatabase(t, opts);
  return { database, ...(await open(database.connection)) };
}

async function open(connection: Connection) {
  const store = new PostgresEventStore(connection.pool, { pollIntervalMs: 10 });
  await store.migrate();
  const db = createReadDb(connection);
  await migrateReadDb(db);
  await createTallyTable(db);
  return { connection, store, db };
}

t.test('killed mid-batch: nothing lost, nothing applied twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-crash-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { database, store, db, connection } = await setUp(t, { dataDir: join(dir, 'pglite') });
  const ids = await appendReceipts(store, 50);
  // An embedded database has one owner at a time: hand it to the child.
  if (backend === 'pglite') await connection.close();

  const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/crash-runner.ts'], {
    env: { ...process.env, DB_OPTIONS: JSON.stringify(database.options), CRASH_AT: '25', BATCH_SIZE: '10' },
    encoding: 'utf8',
  });
  t.equal(child.signal, 'SIGKILL', `the runner died mid-batch (${child.stdout}${child.stderr})`);

  const reopened = backend === 'pglite' ? await open(await testDatabase(t, { dataDir: join(dir, 'pglite') }).then((d) => d.connection)) : { store, db, connection };
  const afterCrash = await tallyCounts(reopened.db);
  t.equal(afterCrash.rows, 20, 'the two committed batches survived; the third rolled back');
  t.equal(afterCrash.distinct, 20);
  const checkpoint = await checkpointOf(reopened.db, 'tally');
  const committed = await reopened.store.readAll({ maxCount: 20 });
  t.same(checkpoint, committed.at(-1)?.position, 'the checkpoint is the last committed batch');

  const runner = new ProjectionRunner(tallyProjection(), { ...reopened, logger, batchSize: 10 });
  await runner.catchUp();
  const final = await tallyCounts(reopened.db);
  t.equal(final.rows, ids.length, 'after a restart every event is applied');
  t.equal(final.distinct, ids.length, 'and none twice');
});

t.test('a restarted runner resumes from its checkpoint', async (t) => {
  const { store, db, connection } = await setUp(t);
  await appendReceipts(store, 7);
  const seen: string[] = [];
  const first = new ProjectionRunner(tallyProjection((id) => seen.push(id)), { store, db, connection, logger });
  await first.catchUp();
  t.equal(seen.length, 7);
  const more = await appendReceipts(store, 5);
  const second = new ProjectionRunner(tallyProjection((id) => seen.push(id)), { store, db, connection, logger });
  await second.catchUp();
  t.same(seen.slice(7), more, 'only the new events, in log order');
  t.same(await tallyCounts(db), { rows: 12, distinct: 12 });
});

t.test('a live runner applies new events as they are appended', async (t) => {
  const { store, db, connection } = await setUp(t);
  const runner = new ProjectionRunner(tallyProjection(), { store, db, connection, logger });
  runner.start();
  t.teardown(() => runner.stop());
  const [last] = (await appendReceipts(store, 3)).slice(-1);
  const [event] = (await store.readAll()).filter((e) => e.id === last);
  for (let i = 0; i < 200; i++) {
    const at = await checkpointOf(db, 'tally');
    if (at && at.commit >= event!.position.commit && (at.commit > event!.position.commit || at.prepare >= event!.position.prepare)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  t.same(await tallyCounts(db), { rows: 3, distinct: 3 });
});

t.test('an event that keeps failing is parked; the projection goes on', async (t) => {
  const { store, db, connection } = await setUp(t);
  const ids = await appendReceipts(store, 6);
  const poison = ids[2]!;
  const runner = new ProjectionRunner(
    tallyProjection((id) => {
      if (id === poison) throw new Error('cannot handle this one');
    }),
    { store, db, connection, logger, batchSize: 4, attempts: 2, backoffMs: 1 },
  );
  await runner.catchUp();
  t.same(await tallyCounts(db), { rows: 5, distinct: 5 }, 'every other event applied once');
  const parked = await db.selectFrom('parked_events').selectAll().execute();
  t.equal(parked.length, 1);
  t.match(parked[0], { projection: 'tally', event_id: poison, type: 'StockReceived', error: 'cannot handle this one' });
  const head = await store.headPosition();
  t.same(await checkpointOf(db, 'tally'), head, 'the checkpoint moved past it');
  t.ok(parsePosition(parked[0]!.position), 'the parked position is recorded');
});

t.test('one active runner per projection', async (t) => {
  const { connection } = await setUp(t);
  const first = await connection.tryLock('projection:tally');
  t.ok(first, 'the first runner takes the lock');
  const second = await connection.tryLock('projection:tally');
  if (backend === 'postgres') {
    t.equal(second, null, 'a second session is refused while the first holds it');
    await first!.release();
    const third = await connection.tryLock('projection:tally');
    t.ok(third, 'released, it can be taken again');
    await third!.release();
  } else {
    t.ok(second, 'an embedded database has a single owner process, which holds every lock');
    await second!.release();
    await first!.release();
  }
});
