// A large catalog, seeded fast but through the application's own command side: the same
// deciders, streams, SKU reservations and events as over HTTP, called in-process (creating
// 100k products one HTTP request at a time takes far too long on two cores). The
// projections then catch up in this process, before the measured server starts.
import { pino } from 'pino';
import { createSystem, type System } from '../src/cli/system.js';
import type { CommandContext } from '../src/commands/index.js';
import { connect } from '../src/database.js';
import { CATEGORY_NAMES, openingReceipt, productSpec, random } from './catalog.js';
import type { BenchContext } from './context.js';
import { forEachLimit } from './http.js';
import { progress } from './progress.js';
import { account, REGISTRATIONS_IN_FLIGHT } from './tenants.js';

// Enough commands in flight to keep Postgres busy while this process decides the next.
const COMMANDS_IN_FLIGHT = 16;

export interface SeededTenant {
  /** The account index (see tenants.ts), to sign in with later. */
  index: number;
  id: string;
  /** The owner acts for the tenant, as a user importing the catalog would. */
  ownerId: string;
  categoryIds: string[];
  products: number;
  /** The ids of its products, in creation order. */
  productIds: string[];
}

export interface SeedOptions {
  /** Every product receives this many units instead of the catalog's mix (sales must not run out). */
  openingStock?: string;
}

export interface Seeded {
  tenants: SeededTenant[];
  /** Events the seed appended for products (creations and receipts). */
  productEvents: number;
  commandSeconds: number;
  projectionSeconds: number;
}

/** Seeds `counts[i]` products into tenant `i`, and catches the read models up. */
export async function seedCatalog(ctx: BenchContext, counts: readonly number[], options: SeedOptions = {}): Promise<Seeded> {
  const connection = await connect({ url: ctx.db.url, schema: ctx.db.schema });
  const system = await createSystem(connection, { logger: pino({ level: 'silent' }) });
  try {
    const started = Date.now();
    const tenants = await registerAndCategorize(ctx, system, counts);
    const productEvents = await createProducts(ctx, system, tenants, options);
    const commandSeconds = (Date.now() - started) / 1000;
    ctx.log(`seed: catching up ${system.runners.length} projections`);
    const caughtUp = Date.now();
    await Promise.all(system.runners.map((r) => r.catchUp()));
    return { tenants, productEvents, commandSeconds, projectionSeconds: (Date.now() - caughtUp) / 1000 };
  } finally {
    await system.close();
  }
}

async function registerAndCategorize(ctx: BenchContext, system: System, counts: readonly number[]): Promise<SeededTenant[]> {
  ctx.log(`seed: registering ${counts.length} tenants with ${CATEGORY_NAMES.length} categories each`);
  const tenants: SeededTenant[] = [];
  await forEachLimit(counts, REGISTRATIONS_IN_FLIGHT, async (products, index) => {
    const { tenantId, userId } = await system.commands.registerCompany(account(index), origin(`register-${index}`));
    const as = { tenantId, actorId: userId };
    const categoryIds: string[] = [];
    for (const name of CATEGORY_NAMES) {
      categoryIds.push((await system.commands.createCategory({ ...as, ...origin(`category-${name}`) }, { name, parentId: null })).id);
    }
    tenants[index] = { index, id: tenantId, ownerId: userId, categoryIds, products, productIds: [] };
  });
  return tenants;
}

async function createProducts(ctx: BenchContext, system: System, tenants: readonly SeededTenant[], options: SeedOptions): Promise<number> {
  // Tenants take turns, so the measured tenant's rows share heap pages with the others'
  // as they would in a table that filled over time.
  const work: { tenant: SeededTenant; i: number }[] = [];
  const longest = Math.max(...tenants.map((t) => t.products));
  for (let i = 0; i < longest; i++) for (const tenant of tenants) if (i < tenant.products) work.push({ tenant, i });
  ctx.log(`seed: creating ${work.length} products (${COMMANDS_IN_FLIGHT} commands in flight)`);

  const rands = new Map(tenants.map((t) => [t, random(t.index + 1)]));
  const today = new Date();
  const tick = progress(ctx, work.length);
  let events = 0;
  await forEachLimit(work, COMMANDS_IN_FLIGHT, async ({ tenant, i }) => {
    // Drawn before the first await: the generator's sequence must not depend on timing.
    const spec = productSpec(rands.get(tenant)!, i, tenant.categoryIds, today);
    const { receipt: mixed, ...details } = spec;
    const receipt = options.openingStock === undefined ? mixed : openingReceipt(spec, options.openingStock, today);
    const as = { tenantId: tenant.id, actorId: tenant.ownerId };
    const { id } = await system.commands.createProduct({ ...as, ...origin(`product-${i}`) }, details);
    tenant.productIds[i] = id;
    events++;
    if (receipt) {
      await system.commands.receiveStock({ ...as, ...origin(`receipt-${i}`) }, id, { ...receipt, locationId: null });
      events++;
    }
    tick();
  });
  return events;
}

function origin(step: string): Omit<CommandContext, 'tenantId' | 'actorId'> {
  const id = `bench-seed:${step}`;
  return { correlationId: id, causationId: id, now: new Date(), userAgent: 'stockbook-bench-seed' };
}
