// Stockbook over a catalog seeded in-process (seed.ts), ready to be measured: seeded,
// vacuumed, started, signed in to, and with its products read model caught up, so that
// nothing but the load runs once the measurement starts.
import { startBenchServer, type ChildServer } from './child.js';
import type { BenchContext } from './context.js';
import { vacuumSchema } from './postgres.js';
import { seedCatalog, type Seeded, type SeedOptions } from './seed.js';
import { signInSeeded, waitForProducts, type Tenant } from './tenants.js';

export interface SeededServer {
  server: ChildServer;
  seeded: Seeded;
  /** Signed in, in the seed's order: `tenants[i]` is `seeded.tenants[i]`. */
  tenants: Tenant[];
  /** How long the seed took, and how much it wrote, for the report's setup figures. */
  figures: Record<string, number>;
}

export async function seededStockbook(ctx: BenchContext, counts: readonly number[], options: SeedOptions = {}): Promise<SeededServer> {
  const started = Date.now();
  const seeded = await seedCatalog(ctx, counts, options);
  ctx.log('vacuum analyze (the server under test may run without autovacuum)');
  const vacuumSeconds = await vacuumSchema(ctx.db);
  const seedSeconds = (Date.now() - started) / 1000;
  ctx.log(`seeded in ${seedSeconds.toFixed(1)}s`);

  const server = await startBenchServer(ctx, 'stockbook', './server.ts');
  const tenants = await signInSeeded(server.url, seeded.tenants);
  await waitForProducts(ctx, server.url, new Map(seeded.tenants.map((t, i) => [tenants[i]!, t.products])));
  return {
    server,
    seeded,
    tenants,
    figures: {
      productEvents: seeded.productEvents,
      seedCommandSeconds: seeded.commandSeconds,
      seedProjectionSeconds: seeded.projectionSeconds,
      vacuumSeconds,
      seedSeconds,
    },
  };
}
