// Runs the EventStoreDB test double in the foreground: `tsx test/support/esdb-double/cli.ts --port 2113`.
// Prints `listening on <port>` once it accepts connections; stops on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startEsdbDouble } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2113' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-batch-append': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}
const double = await startEsdbDouble({ port, host: values.host, batchAppend: !values['no-batch-append'] });
console.log(`listening on ${double.port}`);
const shutdown = () => {
  void double.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
