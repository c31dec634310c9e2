// The README walkthrough with the event log on EventStoreDB (the wire-protocol double)
// and the read models on the SQL database (real Postgres in CI).
import t from 'tap';
import { startEsdbDouble } from '../support/esdb-double/server.js';
import { startService } from '../support/process.js';
import { walkthrough } from '../support/walkthrough.js';

t.test('the whole application on the EventStoreDB adapter', async (t) => {
  const double = await startEsdbDouble();
  t.teardown(() => double.stop());
  const service = await startService(t, { extraEnv: { EVENTSTORE_URL: double.url } });
  await walkthrough(t, service);
  t.ok((double.calls['Streams.BatchAppend'] ?? 0) > 0, 'the events went through BatchAppend, as with a real server');
  t.ok(service.logs.some((l) => l.includes('"eventStore":"eventstoredb"')), 'the service says which store it uses');
  t.equal(await service.stop(), 0, 'SIGTERM shuts down cleanly');
});
