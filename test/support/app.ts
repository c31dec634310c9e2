// The whole application on a fresh test database: commands, projections running,
// and the Fastify app for `inject` (or `listen` for real HTTP).
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { buildApp, type AppOptions } from '../../src/api/app.js';
import { createSystem, type System, type SystemOptions } from '../../src/cli/system.js';
import { testDatabase } from './db.js';
import type { Test } from './tap.js';

export interface TestApp {
  app: FastifyInstance;
  system: System;
  /** The app's secret (JWT and one-time codes). */
  secret: string;
}

export interface TestAppOptions {
  projections?: boolean;
  eventStoreUrl?: string;
  /** Mail settings: the mail reactor runs (e.g. into a test SMTP server, see smtp.ts). */
  mail?: NonNullable<SystemOptions['mail']>;
  /** The rest of buildApp's options (rate limits, Google, cookies, proxy). */
  http?: Pick<AppOptions, 'rateLimit' | 'google' | 'cookieSecure' | 'trustProxy' | 'clock'>;
}

export async function testApp(t: Test, options: TestAppOptions = {}): Promise<TestApp> {
  const { connection } = await testDatabase(t);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const secret = randomBytes(32).toString('hex');
  const system = await createSystem(connection, { logger, pollIntervalMs: 10, eventStoreUrl: options.eventStoreUrl, secret, mail: options.mail });
  const app = await buildApp({
    ...system,
    logger,
    jwtSecret: secret,
    bodyLimit: 64 * 1024,
    // Generous: a loaded CI machine is slow, and a 503 here would be a false failure.
    readWaitMs: 15_000,
    ...options.http,
  });
  if (options.projections !== false) system.startProjections();
  if (options.mail) system.startReactors();
  // Runners stop before the app and database go away (teardowns run in reverse order).
  t.teardown(() => app.close());
  t.teardown(async () => {
    await Promise.all([...system.runners, ...system.reactors].map((r) => r.stop()));
    await system.store.close();
  });
  return { app, system, secret };
}

export interface Account {
  token: string;
  tenantId: string;
  userId: string;
  position: string;
  email: string;
  password: string;
}

export async function registerAccount(app: FastifyInstance, companyName = 'Acme'): Promise<Account> {
  const email = `owner-${randomUUID()}@example.test`;
  const password = 'correct horse battery staple';
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { companyName, name: 'Owner', email, password },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ accessToken: string; tenantId: string; userId: string; position: string }>();
  return { token: body.accessToken, tenantId: body.tenantId, userId: body.userId, position: body.position, email, password };
}

export const bearer = (account: Account, position?: string) => ({
  authorization: `Bearer ${account.token}`,
  ...(position ? { 'x-min-log-position': position } : {}),
});

export async function createProduct(
  app: FastifyInstance,
  account: Account,
  product: Record<string, unknown> = {},
): Promise<{ id: string; position: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/products',
    headers: bearer(account),
    payload: { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'Widget', price: '9.99', cost: '4.00', ...product },
  });
  if (res.statusCode !== 201) throw new Error(`create product failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export const problem = (res: LightMyRequestResponse) => res.json<{ type: string; status: number; detail: string; errors?: { field: string }[] }>();
