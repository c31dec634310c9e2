// Read-your-writes waits for a projection only when it has something to apply before
// the position asked for.
import t from 'tap';
import { PostgresEventStore } from '../../src/eventstore/postgres.js';
import { formatPosition } from '../../src/eventstore/port.js';
import { createReadDb, migrateReadDb } from '../../src/projections/read-db.js';
import { waitForPosition } from '../../src/queries/freshness.js';
import { testDatabase } from '../support/db.js';
import { appendReceipts } from '../support/tally.js';

t.test('a projection behind a position it has nothing to apply for is caught up', async (t) => {
  const { connection } = await testDatabase(t);
  const store = new PostgresEventStore(connection.pool);
  await store.migrate();
  const db = createReadDb(connection);
  await migrateReadDb(db);
  const [first] = await appendReceipts(store, 1);
  const checkpoint = (await store.readAll()).find((e) => e.id === first)!.position;
  await db.insertInto('projection_checkpoints').values([{ name: 'quiet', position: formatPosition(checkpoint) }, { name: 'busy', position: formatPosition(checkpoint) }]).execute();
  await appendReceipts(store, 2);
  const head = await store.headPosition();
  const source = { db, store, eventTypes: { quiet: ['ProductRenamed'], busy: ['StockReceived'] } };

  t.equal(await waitForPosition(source, ['quiet'], head, 0), true, 'no ProductRenamed since its checkpoint: nothing to wait for');
  t.equal(await waitForPosition(source, ['busy'], head, 50), false, 'two receipts it has not applied: it must wait');
  t.equal(await waitForPosition(source, ['quiet'], { commit: head.commit + 1000n, prepare: 0n }, 50), false, 'a position the log has not reached: it must wait');
  await db.updateTable('projection_checkpoints').set({ position: formatPosition(head) }).where('name', '=', 'busy').execute();
  t.equal(await waitForPosition(source, ['busy', 'quiet'], head, 0), true, 'once applied, caught up');
});
