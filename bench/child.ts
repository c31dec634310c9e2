// Servers under test run in a process of their own, so autocannon's load generation does
// not share their event loop: the figures then describe the server, not the client.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BenchError, type BenchContext } from './context.js';
import type { Cleanup } from './cleanup.js';
import { COUNTERS_PATH } from './serve.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const Announcement = z.object({ port: z.number().int().positive() });
const Counters = z.record(z.string(), z.number());
const START_TIMEOUT_MS = 60_000;

export interface ChildServer {
  readonly url: string;
  /** What the server counts as done (commits, not replies): see serve.ts. */
  counters(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Starts one of the bench's servers (`./server.ts`, `./baseline.ts`, `./hello.ts`) on this run's schema. */
export function startBenchServer(ctx: BenchContext, name: string, entry: string): Promise<ChildServer> {
  const env = { BENCH_DATABASE_URL: ctx.db.url, BENCH_SCHEMA: ctx.db.schema };
  return startChild(name, new URL(entry, import.meta.url), env, ctx.cleanup);
}

/** Starts `entry` (a module that calls `serve`) and waits for its port. */
export async function startChild(name: string, entry: URL, env: Record<string, string>, cleanup: Cleanup): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // stdin is the child's lifeline: it shuts down when the pipe closes, even if we are killed.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = () => stopChild(child);
  cleanup.defer(`stop ${name}`, stop);
  const port = await announcedPort(name, child);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async counters() {
      const response = await fetch(url + COUNTERS_PATH);
      return Counters.parse(await response.json());
    },
    stop,
  };
}

async function announcedPort(name: string, child: ChildProcess): Promise<number> {
  if (!child.stdout) throw new BenchError(`${name}: no stdout`);
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new BenchError(`${name} exited (code ${String(code)}) before it was listening`);
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new BenchError(`${name} did not start within ${START_TIMEOUT_MS / 1000}s`)), START_TIMEOUT_MS).unref(),
  );
  const announced = (async () => {
    for await (const line of lines) {
      const parsed = Announcement.safeParse(safeJson(line));
      if (parsed.success) return parsed.data.port;
      process.stderr.write(`[${name}] ${line}\n`);
    }
    throw new BenchError(`${name} closed its output before announcing a port`);
  })();
  const port = await Promise.race([announced, exited, timeout]);
  exited.catch(() => undefined);
  // Keep draining: a child blocked on a full stdout pipe would stall mid-benchmark.
  child.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return port;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
