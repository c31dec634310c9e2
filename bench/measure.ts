// One target's turn, the same for every scenario: warm up, measure, and check. A target
// that writes also lets the writes in flight land, then checks that what the data shows
// is exactly what the server committed. A read-only target is checked on its answers.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildServer } from './child.js';
import { BenchError, type BenchContext } from './context.js';
import { fire, type LoadRequest } from './load.js';

export interface Writes {
  /** The server counter that counts this scenario's writes (see serve.ts). */
  counter: string;
  /** How many writes the stored data shows once everything has been applied. */
  applied(): Promise<number>;
}

export interface Target {
  /** `baseline` and `stockbook` by convention; a scenario measuring several request kinds adds `stockbook: <kind>`. */
  name: string;
  /** What the target is, for the report. */
  description: string;
  server: ChildServer;
  next(): LoadRequest;
  /** Absent for reads: there is nothing to reconcile, only the answers to count. */
  writes?: Writes;
}

export interface Check {
  /** 2xx answers the load generator received (warm-up included). */
  acknowledged: number;
  /** Writes the server completed; more than acknowledged by at most the requests cut off at the end. Null for reads. */
  committed: number | null;
  /** Writes visible in the data (for Stockbook: in the read model, after the projections caught up). Null for reads. */
  applied: number | null;
  ok: boolean;
}

export interface TargetResult {
  target: string;
  description: string;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  check: Check;
}

export async function measureTarget(ctx: BenchContext, target: Target): Promise<TargetResult> {
  const spec = { url: target.server.url, connections: ctx.options.connections, next: target.next };
  let acknowledged = 0;
  if (ctx.options.warmup > 0) {
    ctx.log(`${target.name}: warming up for ${ctx.options.warmup}s`);
    const warm = await fire({ ...spec, seconds: ctx.options.warmup });
    acknowledged += warm.ok;
  }
  ctx.log(`${target.name}: measuring for ${ctx.options.duration}s with ${ctx.options.connections} connections`);
  const load = await fire({ ...spec, seconds: ctx.options.duration });
  acknowledged += load.ok;

  const answered = load.non2xx === 0 && load.errors === 0;
  let check: Check = { acknowledged, committed: null, applied: null, ok: answered };
  if (target.writes) {
    await settled(target.name, target.server, target.writes.counter);
    ctx.log(`${target.name}: checking the data`);
    const applied = await target.writes.applied();
    const committed = (await target.server.counters())[target.writes.counter] ?? 0;
    check = { acknowledged, committed, applied, ok: answered && applied === committed && acknowledged <= committed };
  }
  const { ok: _, ...figures } = load;
  return { target: target.name, description: target.description, ...figures, check };
}

// autocannon hangs up on the requests still in flight when time is up; the server goes on
// with them. Checking before they land would race them.
async function settled(name: string, server: ChildServer, counter: string): Promise<void> {
  let last = -1;
  for (let attempt = 0; attempt < 100; attempt++) {
    const now = (await server.counters())[counter] ?? 0;
    if (now === last) return;
    last = now;
    await sleep(200);
  }
  throw new BenchError(`${name}: writes were still completing 20s after the load stopped`);
}
