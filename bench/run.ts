// `npm run bench -- <scenario> [--duration s] [--warmup s] [--connections n] [--products n] [--tenants n]`
// Drives Stockbook over HTTP with autocannon beside a baseline (CRUD or hello-world), prints a markdown
// table and the JSON report, and saves the JSON under bench/results/.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Cleanup } from './cleanup.js';
import { BenchError, type BenchContext, type BenchOptions } from './context.js';
import { DEFAULT_URL, openBenchDatabase, redact } from './postgres.js';
import { markdown, save, toReport } from './report.js';
import { scenarios } from './scenarios/index.js';

const Count = z.coerce.number().int().positive();
// Each flag also reads BENCH_<NAME> from the environment; the flag wins.
const Options = z.object({
  duration: Count.default(10),
  warmup: z.coerce.number().int().min(0).default(2),
  connections: Count.default(20),
  products: Count.default(10_000),
  tenants: Count.default(10),
});
const FLAGS = ['duration', 'warmup', 'connections', 'products', 'tenants'] as const;

function usage(): string {
  const names = Object.entries(scenarios).map(([name, s]) => `  ${name.padEnd(14)} ${s.description}`);
  return [
    'Usage: npm run bench -- <scenario> [--duration 10] [--warmup 2] [--connections 20] [--products 10000] [--tenants 10]',
    '(products-list: --products is the measured tenant\'s catalog, 100000 by default)',
    '',
    'Scenarios:',
    ...names,
    '',
    `Needs PostgreSQL: DATABASE_URL, else ${DEFAULT_URL}. Each run works in a schema of its own and drops it.`,
    '',
  ].join('\n');
}

function parseOptions(argv: string[]): { scenario: string | undefined; options: BenchOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: Object.fromEntries(FLAGS.map((f) => [f, { type: 'string' }] as const)),
  });
  // Flag, then environment, then the scenario's own default, then the global one.
  const defaults = scenarios[positionals[0] ?? '']?.defaults ?? {};
  const given = Object.fromEntries(
    FLAGS.map((f) => [f, values[f] ?? (process.env[`BENCH_${f.toUpperCase()}`] || undefined) ?? defaults[f]]),
  );
  const parsed = Options.safeParse(given);
  if (!parsed.success) throw new BenchError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  if (parsed.data.products < parsed.data.tenants) throw new BenchError('--products must be at least --tenants');
  return { scenario: positionals[0], options: parsed.data };
}

async function main(argv: string[]): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { scenario: name, options } = parseOptions(argv);
  const scenario = name === undefined ? undefined : scenarios[name];
  if (!name || !scenario) {
    process.stderr.write(`${name ? `No scenario "${name}".\n\n` : ''}${usage()}`);
    return name ? 2 : 1;
  }

  const cleanup = new Cleanup();
  const interrupted = () => {
    process.stderr.write('\ninterrupted: cleaning up\n');
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const url = process.env.DATABASE_URL || DEFAULT_URL;
    const db = await openBenchDatabase(url, cleanup);
    const { rows } = await db.pool.query<{ server_version: string }>('SHOW server_version');
    const postgres = rows[0]?.server_version ?? 'unknown';
    const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
    log(`database: PostgreSQL ${postgres} at ${redact(url)} (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'default'}), schema ${db.schema}`);
    log(`options: ${JSON.stringify(options)}`);

    const ctx: BenchContext = { scenario: name, options, db, cleanup, log };
    const startedAt = new Date().toISOString();
    const result = await scenario.run(ctx);
    const report = toReport(
      {
        scenario: name,
        description: scenario.description,
        startedAt,
        options,
        environment: {
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          database: `PostgreSQL ${postgres}`,
        },
      },
      result,
    );
    const file = save(report);
    process.stdout.write(`\n${markdown(report)}\n\n${JSON.stringify(report, null, 2)}\n`);
    log(`saved ${file}`);
    return report.ok ? 0 : 1;
  } finally {
    await cleanup.run();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BenchError) process.stderr.write(`bench: ${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
