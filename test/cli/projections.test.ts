// `stockbook migrate`, `projections list` and `projections rebuild` as a user runs them.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { startService } from '../support/process.js';

const run = promisify(execFile);
type Failed = { code: number; stderr: string };
const failure = (e: unknown) => e as Failed;

t.test('list and rebuild projections from the command line', async (t) => {
  const service = await startService(t);
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${service.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, string>;
  };
  const { accessToken } = await post('/auth/register', { companyName: 'Acme', name: 'A', email: 'cli@acme.test', password: 'long enough password' });
  const { id } = await post('/products', { sku: 'CLI-1', name: 'Thing', price: '2.00' }, accessToken);
  await post(`/products/${id}/receipts`, { quantity: 3 }, accessToken!);
  t.equal(await service.stop(), 0);

  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...service.env, LOG_LEVEL: 'silent' } });

  const rebuilt = await cli('projections', 'rebuild', 'products');
  t.equal(rebuilt.stderr, '');
  const list = (await cli('projections', 'list')).stdout;
  for (const name of ['tenants', 'users', 'locations', 'products']) t.match(list, new RegExp(`^${name}\\s+\\d+\\.\\d+$`, 'm'), `${name} has a checkpoint`);

  const unknown = await cli('projections', 'rebuild', 'nope').then(() => ({ code: 0, stderr: '' }), failure);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /No projection "nope"/);

  // After the rebuild the product reads as before.
  const again = await startService(t, { reuse: service.env });
  const login = await fetch(`${again.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'cli@acme.test', password: 'long enough password' }),
  }).then((r) => r.json() as Promise<{ accessToken: string }>);
  const product = await fetch(`${again.baseUrl}/api/v1/products/${id}`, { headers: { authorization: `Bearer ${login.accessToken}` } }).then(
    (r) => r.json() as Promise<{ quantity: number; sku: string }>,
  );
  t.match(product, { sku: 'CLI-1', quantity: 3 });
  await again.stop();
});

t.test('bad configuration is reported by name, with exit code 1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const failed = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], {
    env: { ...process.env, DATA_DIR: dir, PORT: 'eighty', DATABASE_URL: '' },
  }).then(() => ({ code: 0, stderr: '' }), failure);
  t.equal(failed.code, 1);
  t.match(failed.stderr, /Invalid configuration:\n\s+- PORT:/);
});
