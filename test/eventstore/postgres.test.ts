import { PostgresEventStore } from '../../src/eventstore/postgres.js';
import { backend, testDatabase } from '../support/db.js';
import { eventStoreContract } from './contract.js';

eventStoreContract(`postgres adapter (${backend})`, async (t) => {
  const { connection } = await testDatabase(t);
  const store = new PostgresEventStore(connection.pool, { pollIntervalMs: 20 });
  await store.migrate();
  t.teardown(() => store.close());
  return store;
});
