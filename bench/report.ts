// The result of a run, as a markdown table for people and a JSON file for comparing runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './context.js';
import type { TargetResult } from './measure.js';
import type { ScenarioResult } from './scenario.js';

export interface Report {
  scenario: string;
  description: string;
  startedAt: string;
  finishedAt: string;
  options: BenchOptions;
  environment: Record<string, string | number>;
  setup: Record<string, number>;
  /** The baseline first, then the headline Stockbook row, then any breakdown rows. */
  results: TargetResult[];
  /**
   * Stockbook's figure over the baseline's: throughput below 1 and latencies above 1 are Stockbook's cost.
   * A latency ratio is null when the baseline's figure is 0 ms (below autocannon's 1 ms resolution).
   */
  ratio: { throughput: number; p50: number | null; p99: number | null };
  ok: boolean;
}

const RESULTS = new URL('./results/', import.meta.url);

export function toReport(
  head: Pick<Report, 'scenario' | 'description' | 'startedAt' | 'options' | 'environment'>,
  result: ScenarioResult,
): Report {
  const { baseline, stockbook, breakdown = [] } = result;
  const results = [baseline, stockbook, ...breakdown];
  return {
    ...head,
    finishedAt: new Date().toISOString(),
    setup: result.setup,
    results,
    ratio: {
      throughput: significant(stockbook.reqPerSec / baseline.reqPerSec),
      p50: baseline.p50Ms > 0 ? round(stockbook.p50Ms / baseline.p50Ms, 2) : null,
      p99: baseline.p99Ms > 0 ? round(stockbook.p99Ms / baseline.p99Ms, 2) : null,
    },
    ok: results.every((r) => r.check.ok),
  };
}

export function markdown(report: Report): string {
  const [baseline, stockbook] = report.results;
  const rows = report.results.map((r) =>
    [report.scenario, r.target, round(r.reqPerSec, 0), r.p50Ms, r.p99Ms, r.non2xx, vs(r, baseline), checkText(r)].join(' | '),
  );
  const percent = significant(report.ratio.throughput * 100);
  const against = baseline?.target ?? 'baseline';
  const setup = Object.entries(report.setup).map(([k, v]) => `${k} ${v}`);
  return [
    `| scenario | target | req/s | p50 ms | p99 ms | non-2xx | req/s vs ${against} | check |`,
    '|---|---|---:|---:|---:|---:|---:|---|',
    ...rows.map((row) => `| ${row} |`),
    '',
    `Throughput ratio ${stockbook?.target ?? 'stockbook'}/${against}: **${report.ratio.throughput}** ` +
      `(Stockbook sustains ${percent}% of the ${against}'s req/s; latency ratios p50 ${times(report.ratio.p50)}, p99 ${times(report.ratio.p99)})`,
    '',
    `Setup: ${setup.join(', ')}`,
  ].join('\n');
}

/** Writes the report under bench/results/ and returns the file's path. */
export function save(report: Report): string {
  mkdirSync(RESULTS, { recursive: true });
  const file = new URL(`${report.scenario}-${report.startedAt.replace(/[:.]/g, '-')}.json`, RESULTS);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return fileURLToPath(file);
}

const times = (ratio: number | null) => (ratio === null ? 'n/a (baseline under 1 ms)' : `${ratio}x`);

const vs = (r: TargetResult, baseline: TargetResult | undefined) =>
  baseline && r !== baseline ? significant(r.reqPerSec / baseline.reqPerSec) : '';

function checkText(r: TargetResult): string {
  const { acknowledged, committed, applied, ok } = r.check;
  const errors = r.errors ? `, ${r.errors} socket errors` : '';
  if (committed === null || applied === null) return `${ok ? 'ok' : 'FAILED'} (${acknowledged} 2xx answers${errors})`;
  const applies = applied === committed ? '=' : '≠';
  const covers = committed >= acknowledged ? '≥' : '<';
  return `${ok ? 'ok' : 'FAILED'} (applied ${applied} ${applies} committed ${committed} ${covers} acknowledged ${acknowledged}${errors})`;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
// Three significant digits: a list request can cost a thousand hello-worlds, and 0.000338
// must not print as 0.
const significant = (n: number) => Number(n.toPrecision(3));
