import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { PostgresEventStore } from '../../src/eventstore/postgres.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { backend, testDatabase } from '../support/db.js';
import type { Test } from '../support/tap.js';
import { eventStoreContract } from './contract.js';

async function postgresStore(t: Test) {
  const database = await testDatabase(t);
  const store = new PostgresEventStore(database.connection.pool, { pollIntervalMs: 20 });
  await store.migrate();
  t.teardown(() => store.close());
  return { store, database };
}

eventStoreContract(`postgres adapter (${backend})`, async (t) => (await postgresStore(t)).store);

const event = (type: string) => ({ id: randomUUID(), type, data: {}, metadata: {} });

/** Whether the promise settles within `ms`. */
const settlesWithin = (promise: Promise<unknown>, ms: number) => Promise.race([promise.then(() => true), sleep(ms).then(() => false)]);

// A second session is needed to hold a transaction open: PGlite has one.
if (backend === 'postgres') {
  t.test('readAll and caught-up wait for an older writing transaction, then include its events', async (t) => {
    const { store, database } = await postgresStore(t);
    const other = await database.connection.pool.connect();
    t.teardown(() => other.release());
    // The older transaction: it appends first, and commits last.
    await other.query('BEGIN');
    await other.query(`SELECT * FROM es_append('s-older', 'any', $1::uuid[], '{Older}', '{"{}"}', '{"{}"}')`, [[randomUUID()]]);
    await store.append('s-newer', [event('Newer')], { expectedRevision: 'any' });

    const reading = store.readAll();
    const caughtUp = firstCaughtUp(store);
    t.notOk(await settlesWithin(reading, 200), 'readAll waits while an older transaction may still commit before the newer event');
    t.notOk(await settlesWithin(caughtUp, 0), 'so does caught-up');
    await other.query('COMMIT');
    t.same((await reading).map((e) => e.type), ['Older', 'Newer'], 'both, in log order');
    t.same(await caughtUp, ['Older', 'Newer'], 'delivered before caught-up');
  });
} else {
  t.comment('the concurrent-transaction test of the Postgres store runs with DATABASE_URL set (CI does)');
}

/** The event types a fresh subscription delivers before it reports caught-up. */
async function firstCaughtUp(store: EventStore): Promise<string[]> {
  const controller = new AbortController();
  const seen: string[] = [];
  for await (const item of store.subscribe({ signal: controller.signal })) {
    if (item.kind === 'event') seen.push(item.event.type);
    if (item.kind === 'caught-up') controller.abort();
  }
  return seen;
}
