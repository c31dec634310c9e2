// Total stock as Stockbook's read model shows it, for the write scenarios' checks: every
// product of every tenant, summed from the product list a client would read.
import { z } from 'zod';
import type { ChildServer } from './child.js';
import { BenchError } from './context.js';
import { callJson } from './http.js';
import type { Tenant } from './tenants.js';

const PAGE_SIZE = 100;
const ProductPage = z.object({ items: z.array(z.object({ quantity: z.number() })), total: z.number() });

/**
 * Sums `quantity` over every product, once the projections have reached the position
 * `fence` returns: a last write made after the load, past every earlier commit, so a
 * read that waits for it (X-Min-Log-Position) sees them all. With no fence the read is
 * taken as it is (before the load, when the read model is known to be caught up).
 */
export async function projectedQuantity(
  server: ChildServer,
  tenants: readonly Tenant[],
  products: number,
  fence?: () => Promise<string>,
): Promise<number> {
  const position: Record<string, string> = fence ? { 'x-min-log-position': await fence() } : {};
  let quantity = 0;
  let listed = 0;
  for (const tenant of tenants) {
    for (let page = 1; ; page++) {
      const { body } = await callJson(`${server.url}/api/v1/products?page=${page}&pageSize=${PAGE_SIZE}`, 200, ProductPage, {
        headers: { ...tenant.auth, ...position },
      });
      for (const item of body.items) quantity += item.quantity;
      listed += body.items.length;
      if (page * PAGE_SIZE >= body.total) break;
    }
  }
  if (listed !== products) throw new BenchError(`stockbook lists ${listed} products, ${products} were created`);
  return quantity;
}
