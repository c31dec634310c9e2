// A scenario sets up its data, then measures Stockbook and a baseline doing the same work
// (or, for reads, a ceiling), so the headline figure is a ratio that travels between
// machines better than req/s.
import type { BenchContext, BenchOptions } from './context.js';
import type { TargetResult } from './measure.js';

export interface ScenarioResult {
  /** Figures about the setup (counts, seconds), reported as they are. */
  setup: Record<string, number>;
  baseline: TargetResult;
  /** The headline Stockbook figure: the ratio is this over the baseline. */
  stockbook: TargetResult;
  /** Further Stockbook rows (one per request kind of a mix), each reported beside the baseline too. */
  breakdown?: TargetResult[];
}

export interface Scenario {
  /** One line: what is measured against what. */
  description: string;
  /** Where this scenario's sizes differ from the global defaults (flags and env still win). */
  defaults?: Partial<BenchOptions>;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}
