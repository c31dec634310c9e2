// The HTTP application: Fastify with zod schemas (validation, types and the OpenAPI
// document from one source), problem+json errors, JWT auth and the routes.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Commands } from '../commands/index.js';
import type { EventStore } from '../eventstore/port.js';
import type { ReadDb } from '../projections/read-db.js';
import { tenantCalendar } from '../queries/calendar.js';
import { authPlugin } from './auth.js';
import { freshness } from './freshness.js';
import { googleVerifier, type GoogleSettings } from './google.js';
import { registerProblemHandlers } from './problems.js';
import { rateLimitPlugin, type RateLimitSettings } from './rate-limit.js';
import { categoryRoutes } from './routes/categories.js';
import { customerRoutes } from './routes/customers.js';
import { healthRoutes } from './routes/health.js';
import { identityRoutes } from './routes/identity.js';
import { locationRoutes } from './routes/locations.js';
import { productRoutes } from './routes/products.js';
import { insightRoutes } from './routes/insight.js';
import { stockRoutes } from './routes/stock.js';
import { saleRoutes } from './routes/sales.js';
import { productCsvRoutes } from './routes/product-csv.js';

export interface AppOptions {
  commands: Commands;
  store: EventStore;
  db: ReadDb;
  logger: FastifyBaseLogger;
  jwtSecret: string;
  bodyLimit: number;
  /** How long a query waits for X-Min-Log-Position before answering 503. */
  readWaitMs: number;
  /** Names of the projections whose progress /health/ready reports. */
  projections: readonly string[];
  /** The event types each projection applies (read-your-writes skips what it has nothing to do for). */
  projectionEventTypes: Readonly<Record<string, readonly string[]>>;
  /** Secure cookies (default true; false only for development over plain HTTP). */
  cookieSecure?: boolean;
  /** Trust X-Forwarded-For for the client IP (default false: only behind a proxy that sets it). */
  trustProxy?: boolean;
  /** Rate limits; absent: no global cap, the auth routes' own limits and the login lockout still apply. */
  rateLimit?: RateLimitSettings;
  /** Google sign-in; absent: POST /auth/google answers 501. */
  google?: GoogleSettings | undefined;
  /** The time commands are decided at; tests move it to reach expiries. */
  clock?: () => Date;
}

/** What route modules receive. */
export interface AppDeps {
  commands: Commands;
  store: EventStore;
  db: ReadDb;
  fresh: ReturnType<typeof freshness>;
  projections: readonly string[];
  /** The tenant's today and expiry warning window (its timezone and settings). */
  calendar: typeof tenantCalendar;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    requestIdHeader: false,
    // A caller's request id is kept (for tracing across services) when it is sane.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Client IPs feed the login lockout: a forged X-Forwarded-For must not pick its own.
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: other bodies get 415 rather than a confusing validation error.
  app.removeContentTypeParser(['text/plain']);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  registerProblemHandlers(app);
  await app.register(rateLimitPlugin, options.rateLimit ?? { max: null, timeWindowMs: 60_000 });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Stockbook API', version: '1.0.0', description: 'Multi-tenant, event-sourced inventory and sales.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(authPlugin, { secret: options.jwtSecret, cookieSecure: options.cookieSecure ?? true, clock: options.clock });

  const deps: AppDeps = {
    commands: options.commands,
    store: options.store,
    db: options.db,
    fresh: freshness({ db: options.db, store: options.store, eventTypes: options.projectionEventTypes }, options.readWaitMs),
    projections: options.projections,
    calendar: tenantCalendar,
  };
  await app.register(healthRoutes, deps);
  await app.register(
    async (v1) => {
      await v1.register(identityRoutes, { ...deps, google: options.google ? googleVerifier(options.google) : null });
      await v1.register(productRoutes, deps);
      await v1.register(stockRoutes, deps);
      await v1.register(productCsvRoutes, deps);
      await v1.register(saleRoutes, deps);
      await v1.register(insightRoutes, deps);
      await v1.register(categoryRoutes, deps);
      await v1.register(locationRoutes, deps);
      await v1.register(customerRoutes, deps);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
