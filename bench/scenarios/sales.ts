// `sales`: single-line sales of one unit on random products of random tenants. Stockbook
// runs the sale saga (SaleStarted on the sale's stream, StockSold on the product's after
// loading it, SaleCompleted) and projects it; the baseline runs UPDATE … SET quantity =
// quantity - $n WHERE id = $1 AND quantity >= $n on the same rows in a plain table.
import { z } from 'zod';
import { baselineTotalQuantity, seedBaselineTable } from '../baseline-table.js';
import { startBenchServer, type ChildServer } from '../child.js';
import { BenchError } from '../context.js';
import { callJson } from '../http.js';
import { measureTarget } from '../measure.js';
import type { Scenario } from '../scenario.js';
import { seededStockbook } from '../seeded-server.js';
import { projectedQuantity } from '../stock-totals.js';
import { defaultLocation, JSON_HEADERS, type Tenant } from '../tenants.js';

// One unit per sale, so the drop in total stock counts sales.
const QUANTITY = 1;
// Far more than a run sells of one product (a few hundred sales at most), so no sale is
// ever short: a 409 would measure the rejection path instead.
const OPENING_STOCK = 1_000_000;
const BASELINE_SALE = JSON.stringify({ quantity: QUANTITY });

const Placed = z.object({ id: z.uuid(), status: z.literal('completed'), position: z.string() });

interface Product {
  id: string;
  tenant: Tenant;
  /** Its tenant's default location, where the seed put the opening stock. */
  locationId: string;
  /** The request body, built once: the load generator shares the CPU with the servers. */
  sale: string;
}

const saleOf = (p: Pick<Product, 'id' | 'locationId'>) => ({ locationId: p.locationId, lines: [{ productId: p.id, quantity: QUANTITY }] });

export const sales: Scenario = {
  description: `POST /sales, one line of ${QUANTITY} unit of a random product of a random tenant`,

  async run(ctx) {
    const { products: total, tenants: count } = ctx.options;
    // Spread evenly over the tenants, as the receipts scenario's round robin does.
    const counts = Array.from({ length: count }, (_, i) => Math.floor(total / count) + (i < total % count ? 1 : 0));
    const { server: stockbook, seeded, tenants, figures } = await seededStockbook(ctx, counts, { openingStock: String(OPENING_STOCK) });
    const products = await saleBodies(stockbook, tenants, seeded.tenants);
    const opening = products.length * OPENING_STOCK;
    const listed = await projectedQuantity(stockbook, tenants, products.length);
    if (listed !== opening) throw new BenchError(`stockbook lists ${listed} units in stock after the seed, expected ${opening}`);
    await seedBaselineTable(ctx.db.pool, products.map((p) => ({ id: p.id, tenantId: p.tenant.id })), OPENING_STOCK);

    const pick = () => products[Math.floor(Math.random() * products.length)]!;
    const baselineServer = await startBenchServer(ctx, 'baseline', './baseline.ts');
    const baseline = await measureTarget(ctx, {
      name: 'baseline',
      description: 'Fastify + pg: UPDATE bench_stock SET quantity = quantity - $1 WHERE id = $2 AND quantity >= $1',
      server: baselineServer,
      next: () => ({ path: `/stock/${pick().id}/sales`, headers: JSON_HEADERS, body: BASELINE_SALE }),
      writes: { counter: 'placeSale', applied: async () => (opening - (await baselineTotalQuantity(ctx.db.pool))) / QUANTITY },
    });
    // Stockbook gets the machine to itself, as the baseline had (but for Stockbook's idle polling).
    await baselineServer.stop();

    const measured = await measureTarget(ctx, {
      name: 'stockbook',
      description: 'stockbook start (API + projections + reactors): SaleStarted, StockSold, SaleCompleted, projected',
      server: stockbook,
      next: () => {
        const p = pick();
        return { path: '/api/v1/sales', headers: p.tenant.writeHeaders, body: p.sale };
      },
      writes: {
        counter: 'placeSale',
        applied: async () => (opening - (await projectedQuantity(stockbook, tenants, products.length, () => saleFence(stockbook, products[0]!)))) / QUANTITY,
      },
    });
    return {
      setup: { tenants: tenants.length, products: products.length, openingStock: OPENING_STOCK, ...figures },
      baseline,
      stockbook: measured,
    };
  },
};

// Every sale is made at its tenant's default location, where the seed put the opening stock.
async function saleBodies(server: ChildServer, tenants: readonly Tenant[], seeded: readonly { productIds: string[] }[]): Promise<Product[]> {
  const locations = await Promise.all(tenants.map((t) => defaultLocation(server.url, t)));
  return seeded.flatMap((s, i) =>
    s.productIds.map((id) => {
      const product = { id, tenant: tenants[i]!, locationId: locations[i]! };
      return { ...product, sale: JSON.stringify(saleOf(product)) };
    }),
  );
}

// A last sale after the load: the fence the read waits for (see stock-totals.ts).
async function saleFence(server: ChildServer, product: Product): Promise<string> {
  const { body } = await callJson(`${server.url}/api/v1/sales`, 201, Placed, {
    method: 'POST',
    headers: product.tenant.auth,
    body: saleOf(product),
  });
  return body.position;
}
