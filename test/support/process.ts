// Runs `stockbook <command>` as a real process for end-to-end tests: its own database
// (a PGlite directory, or an isolated schema when DATABASE_URL is set), a random port.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { databaseUrl } from './db.js';
import type { Test } from './tap.js';

export interface RunningService {
  baseUrl: string;
  /** The environment that points another process at the same database. */
  env: Record<string, string>;
  child: ChildProcess;
  logs: string[];
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface ServiceOptions {
  command?: string;
  /** Another service's `env`, to run against the same database. */
  reuse?: Record<string, string>;
  /** More environment, e.g. EVENTSTORE_URL. */
  extraEnv?: Record<string, string>;
}

export async function startService(t: Test, { command = 'start', reuse, extraEnv = {} }: ServiceOptions = {}): Promise<RunningService> {
  let env = reuse;
  if (!env) {
    const dataDir = mkdtempSync(join(tmpdir(), 'stockbook-e2e-'));
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl ? await isolatedUrl(t) : '', ...extraEnv };
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', command], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${logs.join('')}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`service exited:\n${logs.join('\n')}`)));
  });
  return {
    baseUrl,
    env,
    child,
    logs,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

// The process gets a schema of its own through the connection string's `options`.
async function isolatedUrl(t: Test): Promise<string> {
  const schema = `e2e_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE SCHEMA ${schema}`);
  t.teardown(() => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  const url = new URL(databaseUrl!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
