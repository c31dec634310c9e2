// The README walkthrough over real HTTP against `stockbook start`, log in SQL.
import t from 'tap';
import { startService } from '../support/process.js';
import { walkthrough } from '../support/walkthrough.js';

t.test('register -> login -> create product -> receive -> list, then a graceful stop', async (t) => {
  const service = await startService(t);
  await walkthrough(t, service);
  t.equal(await service.stop(), 0, 'SIGTERM shuts down cleanly');
  const logLines = service.logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { reqId?: string; msg: string });
  t.ok(logLines.some((l) => l.reqId && l.msg === 'request completed'), 'pino JSON logs with request ids');
  t.ok(logLines.some((l) => l.msg === 'shutting down'));
});
