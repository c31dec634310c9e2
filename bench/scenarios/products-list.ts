// `products-list`: the product list (search, filters, sort, pages) in one large tenant
// among many smaller ones, beside a Fastify hello-world measured in the same run: the
// most any Fastify route can serve on this machine, so the ratio is what the list costs.
import { z } from 'zod';
import { pick, SEARCH_WORDS } from '../catalog.js';
import { startBenchServer, type ChildServer } from '../child.js';
import { BenchError, type BenchContext } from '../context.js';
import { callJson } from '../http.js';
import { measureTarget, type TargetResult } from '../measure.js';
import type { Scenario } from '../scenario.js';
import { seededStockbook } from '../seeded-server.js';
import type { Tenant } from '../tenants.js';

const PAGE_SIZE = 20;
// Each other tenant's catalog: enough that the measured tenant's rows are not the table.
const OTHER_TENANT_PRODUCTS = 1000;
// "Plain page N": people browse the first pages of a sorted list, not the 5000th.
const BROWSED_PAGES = 50;
const SAMPLES = 5;

const Listing = z.object({ items: z.array(z.object({ id: z.uuid() })), total: z.number() });

/** One kind of list request a client sends; the mix picks one at random per request. */
interface ListKind {
  name: string;
  shape: string;
  query(): string;
}

// Unseeded on purpose: the data is the same every run, the requests need not be.
const listKinds = (categoryIds: readonly string[], pages: number): ListKind[] => [
  { name: 'search', shape: 'search=<word>&sort=-price', query: () => `search=${pick(Math.random, SEARCH_WORDS)}&sort=-price` },
  { name: 'category', shape: 'categoryId=<id>&sort=name', query: () => `categoryId=${pick(Math.random, categoryIds)}&sort=name` },
  { name: 'lowStock', shape: 'lowStock=true&sort=-quantity', query: () => 'lowStock=true&sort=-quantity' },
  { name: 'page', shape: `page=<1..${pages}>&sort=name`, query: () => `page=${1 + Math.floor(Math.random() * pages)}&sort=name` },
];

const path = (kind: ListKind) => `/api/v1/products?${kind.query()}&pageSize=${PAGE_SIZE}`;

export const productsList: Scenario = {
  description: 'GET /products (search, category, low stock, page N) in one large tenant among many, vs Fastify hello-world',
  defaults: { products: 100_000 },

  async run(ctx) {
    const others = Math.min(OTHER_TENANT_PRODUCTS, ctx.options.products);
    const counts = Array.from({ length: ctx.options.tenants }, (_, i) => (i === 0 ? ctx.options.products : others));
    const { server: stockbook, seeded, tenants, figures } = await seededStockbook(ctx, counts);
    const measured = tenants[0]!;
    const pages = Math.min(BROWSED_PAGES, Math.ceil(ctx.options.products / PAGE_SIZE));
    const kinds = listKinds(seeded.tenants[0]!.categoryIds, pages);
    const matches = await sampleMatches(ctx, stockbook, measured, kinds);

    const hello = await startBenchServer(ctx, 'hello-world', './hello.ts');
    const ceiling = await measureTarget(ctx, {
      name: 'hello-world',
      description: 'Fastify: GET / -> {"hello":"world"}; no auth, no database',
      server: hello,
      next: () => ({ method: 'GET', path: '/', headers: {} }),
    });
    // Stockbook gets the machine to itself, as the ceiling had (but for Stockbook's idle polling).
    await hello.stop();

    const lister = (name: string, description: string, chosen: () => ListKind) =>
      measureTarget(ctx, { name, description, server: stockbook, next: () => ({ method: 'GET', path: path(chosen()), headers: measured.auth }) });
    const mix = await lister('stockbook', `stockbook start: GET /api/v1/products, one of the ${kinds.length} kinds below at random`, () =>
      pick(Math.random, kinds),
    );
    const breakdown: TargetResult[] = [];
    for (const kind of kinds) breakdown.push(await lister(`stockbook: ${kind.name}`, `GET /api/v1/products?${kind.shape}&pageSize=${PAGE_SIZE}`, () => kind));

    return {
      setup: {
        tenants: tenants.length,
        measuredTenantProducts: ctx.options.products,
        otherTenantProducts: others,
        ...figures,
        ...matches,
      },
      baseline: ceiling,
      stockbook: mix,
      breakdown,
    };
  },
};

// A kind whose requests list nothing would measure an empty answer: fail rather than flatter.
// The average totals go into the report, so a reader sees how large each filtered set is.
async function sampleMatches(ctx: BenchContext, server: ChildServer, tenant: Tenant, kinds: readonly ListKind[]): Promise<Record<string, number>> {
  const matches: Record<string, number> = {};
  for (const kind of kinds) {
    let total = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const sent = path(kind);
      const { body } = await callJson(server.url + sent, 200, Listing, { headers: tenant.auth });
      if (body.items.length === 0) throw new BenchError(`${kind.name}: ${sent} listed nothing`);
      total += body.total;
    }
    matches[`${kind.name}Matches`] = Math.round(total / SAMPLES);
  }
  ctx.log(`average matches per kind: ${JSON.stringify(matches)}`);
  return matches;
}
