// Progress of a long setup step on stderr: every tenth of the way, with the rate so far,
// so a slow seed shows early whether it will finish in time.
import type { BenchContext } from './context.js';

export function progress(ctx: BenchContext, total: number): () => void {
  const started = Date.now();
  const step = Math.max(1, Math.round(total / 10));
  let done = 0;
  return () => {
    if (++done % step !== 0 && done !== total) return;
    const seconds = (Date.now() - started) / 1000;
    ctx.log(`  ${done}/${total} (${Math.round(done / Math.max(seconds, 0.001))}/s)`);
  };
}
