import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'stockbook-config-'));
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));

t.test('defaults', async (t) => {
  const c = loadConfig({ DATA_DIR: dataDir });
  t.match(c, { env: 'development', port: 3000, host: '127.0.0.1', databaseUrl: undefined, logLevel: 'info', readWaitMs: 5000 });
});

t.test('every bad or missing variable is named', async (t) => {
  const error = (() => {
    try {
      loadConfig({ DATA_DIR: dataDir, PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });
    } catch (e) {
      return e;
    }
  })();
  t.type(error, ConfigError);
  const problems = (error as ConfigError).problems.join('\n');
  for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'JWT_SECRET']) t.match(problems, name, `names ${name}`);
  t.throws(() => loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production' }), /JWT_SECRET: required when NODE_ENV=production/);
});

t.test('a development JWT secret is generated once and kept under the data directory', async (t) => {
  const first = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
  t.ok(first.length >= 32);
  t.equal(loadConfig({ DATA_DIR: dataDir }).jwtSecret, first, 'the same secret after a restart');
  t.equal(readFileSync(join(dataDir, 'jwt-secret'), 'utf8'), first);
  t.equal(statSync(join(dataDir, 'jwt-secret')).mode & 0o777, 0o600, 'readable by the owner only');
  t.equal(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(40) }).jwtSecret, 'x'.repeat(40), 'an explicit secret wins');
});

t.test('empty variables count as unset', async (t) => {
  t.equal(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: '', PORT: '' }).port, 3000);
});

t.test('the event store is chosen by configuration, inferred from EVENTSTORE_URL', async (t) => {
  t.same(loadConfig({ DATA_DIR: dataDir }).eventStore, { kind: 'postgres' });
  const url = 'esdb://127.0.0.1:2113?tls=false';
  t.same(loadConfig({ DATA_DIR: dataDir, EVENTSTORE_URL: url }).eventStore, { kind: 'eventstoredb', url });
  t.same(loadConfig({ DATA_DIR: dataDir, EVENTSTORE_URL: url, EVENT_STORE: 'postgres' }).eventStore, { kind: 'postgres' }, 'an explicit choice wins');
  t.throws(() => loadConfig({ DATA_DIR: dataDir, EVENT_STORE: 'eventstoredb' }), /EVENTSTORE_URL: required when EVENT_STORE=eventstoredb/);
  t.throws(() => loadConfig({ DATA_DIR: dataDir, EVENTSTORE_URL: 'http://x' }), /EVENTSTORE_URL: must be an esdb:\/\//);
});
