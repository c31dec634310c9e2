// The bench's companies: one account per tenant index, registered over HTTP (or by the
// in-process seeder), signed in over HTTP, and their product counts awaited in the read model.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { BenchError, type BenchContext } from './context.js';
import { bearer, callJson, forEachLimit } from './http.js';

export const JSON_HEADERS = { 'content-type': 'application/json' };
// Registration hashes a password (argon2): more at once only queues on two cores.
export const REGISTRATIONS_IN_FLIGHT = 4;

const Registered = z.object({ tenantId: z.uuid(), accessToken: z.string() });
const LoggedIn = z.object({ accessToken: z.string(), user: z.object({ tenantId: z.uuid() }) });
const ProductCount = z.object({ total: z.number() });
const Me = z.object({ tenant: z.object({ id: z.uuid(), defaultLocationId: z.uuid() }) });

export interface Tenant {
  id: string;
  auth: Record<string, string>;
  /** Built once: the load generator sends them on every write. */
  writeHeaders: Record<string, string>;
}

/** Tenant `i`'s owner, the same whoever registers it, so anyone can sign in as it later. */
export const account = (i: number) => ({
  companyName: `Bench ${i}`,
  name: `Owner ${i}`,
  email: `owner${i}@bench.example.com`,
  password: 'bench-password-1',
});

const tenant = (id: string, token: string): Tenant => {
  const auth = bearer(token);
  return { id, auth, writeHeaders: { ...JSON_HEADERS, ...auth } };
};

export async function registerTenants(ctx: BenchContext, url: string): Promise<Tenant[]> {
  ctx.log(`registering ${ctx.options.tenants} tenants`);
  const tenants: Tenant[] = [];
  const indexes = Array.from({ length: ctx.options.tenants }, (_, i) => i);
  await forEachLimit(indexes, REGISTRATIONS_IN_FLIGHT, async (i) => {
    const { body } = await callJson(`${url}/api/v1/auth/register`, 201, Registered, { method: 'POST', body: account(i) });
    tenants[i] = tenant(body.tenantId, body.accessToken);
  });
  return tenants;
}

/** Tenant `i`'s owner signs in: a fresh token (they last 15 minutes, a long seed outlasts one). */
export async function logIn(url: string, i: number): Promise<Tenant> {
  const { email, password } = account(i);
  const { body } = await callJson(`${url}/api/v1/auth/login`, 200, LoggedIn, { method: 'POST', body: { email, password } });
  return tenant(body.user.tenantId, body.accessToken);
}

/**
 * Every seeded account signs in (tokens last 15 minutes and a full seed takes longer, so
 * they are taken afterwards), and must land in the tenant the seed made for it.
 */
export async function signInSeeded(url: string, seeded: readonly { index: number; id: string }[]): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  await forEachLimit(seeded, REGISTRATIONS_IN_FLIGHT, async (t, i) => {
    tenants[i] = await logIn(url, t.index);
    if (tenants[i]!.id !== t.id) throw new BenchError(`account ${t.index} signed in to tenant ${tenants[i]!.id}, seeded ${t.id}`);
  });
  return tenants;
}

/** Where the tenant's stock goes when a receipt names no location (GET /api/v1/me). */
export async function defaultLocation(url: string, tenant: Tenant): Promise<string> {
  const { body } = await callJson(`${url}/api/v1/me`, 200, Me, { headers: tenant.auth });
  return body.tenant.defaultLocationId;
}

// The products projection must be done with the setup before anything is measured, or
// it would compete with the measured servers for the CPU.
export async function waitForProducts(ctx: BenchContext, url: string, expected: ReadonlyMap<Tenant, number>): Promise<void> {
  ctx.log('waiting for the products projection to catch up');
  const deadline = Date.now() + 300_000;
  for (const [tenant, count] of expected) {
    for (;;) {
      const { body } = await callJson(`${url}/api/v1/products?pageSize=1`, 200, ProductCount, { headers: tenant.auth });
      if (body.total === count) break;
      if (Date.now() > deadline) throw new BenchError(`tenant ${tenant.id}: ${body.total} of ${count} products projected after 5 minutes`);
      await sleep(200);
    }
  }
}
