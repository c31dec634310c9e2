// `receipts`: stock receipts on random products of random tenants. Stockbook appends a
// StockReceived event (after loading the product's stream) and projects it; the baseline
// runs UPDATE … SET quantity = quantity + $n on the same rows in a plain table.
import { z } from 'zod';
import { baselineTotalQuantity, seedBaselineTable } from '../baseline-table.js';
import { startBenchServer, type ChildServer } from '../child.js';
import type { BenchContext } from '../context.js';
import { callJson, forEachLimit } from '../http.js';
import { measureTarget } from '../measure.js';
import { progress } from '../progress.js';
import type { Scenario } from '../scenario.js';
import { projectedQuantity } from '../stock-totals.js';
import { JSON_HEADERS, registerTenants, waitForProducts, type Tenant } from '../tenants.js';

// One unit per receipt, so total quantity counts receipts.
const QUANTITY = 1;
const RECEIPT = JSON.stringify({ quantity: QUANTITY });

const Written = z.object({ id: z.uuid(), position: z.string() });

interface Product {
  id: string;
  tenant: Tenant;
}

export const receipts: Scenario = {
  description: `POST /products/:id/receipts {quantity: ${QUANTITY}} on a random product of a random tenant`,

  async run(ctx) {
    const stockbook = await startBenchServer(ctx, 'stockbook', './server.ts');
    const started = Date.now();
    const tenants = await registerTenants(ctx, stockbook.url);
    const products = await createProducts(ctx, stockbook.url, tenants);
    await waitForProducts(ctx, stockbook.url, new Map(tenants.map((t) => [t, products.filter((p) => p.tenant === t).length])));
    const setupSeconds = (Date.now() - started) / 1000;
    await seedBaselineTable(ctx.db.pool, products.map((p) => ({ id: p.id, tenantId: p.tenant.id })));

    const pick = () => products[Math.floor(Math.random() * products.length)]!;
    const baselineServer = await startBenchServer(ctx, 'baseline', './baseline.ts');
    const baseline = await measureTarget(ctx, {
      name: 'baseline',
      description: 'Fastify + pg: UPDATE bench_stock SET quantity = quantity + $1 WHERE id = $2',
      server: baselineServer,
      next: () => ({ path: `/stock/${pick().id}/receipts`, headers: JSON_HEADERS, body: RECEIPT }),
      writes: { counter: 'receiveStock', applied: async () => (await baselineTotalQuantity(ctx.db.pool)) / QUANTITY },
    });
    // Stockbook gets the machine to itself, as the baseline had (but for Stockbook's idle polling).
    await baselineServer.stop();

    const measured = await measureTarget(ctx, {
      name: 'stockbook',
      description: 'stockbook start (API + projections + reactors): append StockReceived, project into products',
      server: stockbook,
      next: () => {
        const p = pick();
        return { path: `/api/v1/products/${p.id}/receipts`, headers: p.tenant.writeHeaders, body: RECEIPT };
      },
      writes: {
        counter: 'receiveStock',
        applied: async () => (await projectedQuantity(stockbook, tenants, products.length, () => receiptFence(stockbook, products))) / QUANTITY,
      },
    });
    return {
      setup: { tenants: tenants.length, products: products.length, setupSeconds },
      baseline,
      stockbook: measured,
    };
  },
};

// Round-robin over tenants, so each holds products / tenants of them.
async function createProducts(ctx: BenchContext, url: string, tenants: Tenant[]): Promise<Product[]> {
  const count = ctx.options.products;
  ctx.log(`creating ${count} products (${ctx.options.connections} in flight)`);
  const products: Product[] = [];
  const tick = progress(ctx, count);
  await forEachLimit(Array.from({ length: count }, (_, i) => i), ctx.options.connections, async (i) => {
    const tenant = tenants[i % tenants.length]!;
    const { body } = await callJson(`${url}/api/v1/products`, 201, Written, {
      method: 'POST',
      headers: tenant.auth,
      body: { sku: `BENCH-${i}`, name: `Bench product ${i}`, price: '9.99', cost: '4.50' },
    });
    products[i] = { id: body.id, tenant };
    tick();
  });
  return products;
}

// A last receipt after the load: the fence the read waits for (see stock-totals.ts).
async function receiptFence(server: ChildServer, products: Product[]): Promise<string> {
  const fence = products[0]!;
  const { body } = await callJson(`${server.url}/api/v1/products/${fence.id}/receipts`, 201, Written, {
    method: 'POST',
    headers: fence.tenant.auth,
    body: { quantity: QUANTITY },
  });
  return body.position;
}
