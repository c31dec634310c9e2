// Rate limits (@fastify/rate-limit): a per-client cap on every route, tighter caps on
// the auth routes, and the login lockout (failures per IP and per account). Counters
// live in memory, or in Redis when REDIS_URL is set so that every API instance counts
// together.
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { sha256 } from '../commands/secrets.js';

export interface RateLimitSettings {
  /** Requests per client (IP) and window on every route; null: no global cap (embedded tools, benchmarks). */
  max: number | null;
  timeWindowMs: number;
  redisUrl?: string | undefined;
  /** Key prefix in Redis (tests isolate themselves with their own). */
  nameSpace?: string | undefined;
}

export class RateLimited extends Error {
  readonly statusCode = 429;
  readonly code = 'FST_RATE_LIMITED';
}

export const rateLimitPlugin = fp(async (app: FastifyInstance, settings: RateLimitSettings) => {
  const redis = settings.redisUrl ? new Redis(settings.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 }) : null;
  if (redis) {
    redis.on('error', (err) => app.log.warn({ err }, 'redis (rate limits) unavailable'));
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  await app.register(fastifyRateLimit, {
    global: settings.max !== null,
    max: settings.max ?? 0,
    timeWindow: settings.timeWindowMs,
    ...(redis ? { redis, nameSpace: settings.nameSpace ?? 'stockbook-rl-' } : {}),
    // Availability first for the general cap: if Redis is down, requests still pass.
    // The login lockout (below) fails closed instead.
    skipOnError: true,
    errorResponseBuilder: (_req, context) => new RateLimited(`Too many requests; retry in ${context.after}.`),
  });
});

/** A per-route cap, for `config: { rateLimit: perRoute(...) }`. */
export const perRoute = (max: number, timeWindowMs: number) => ({ max, timeWindow: timeWindowMs });

const MINUTE = 60_000;

/**
 * Counts failures (not requests) under a key: a wrong password, a wrong code. Once
 * `max` failures are counted in the window, `blocked` says how many seconds are left.
 */
export function failureLimit(app: FastifyInstance, name: string, max: number, windowMs: number, key: (req: FastifyRequest) => string) {
  const limiter = app.createRateLimit({ max, timeWindow: windowMs, keyGenerator: (req) => `${name}:${key(req)}`, skipOnError: false });
  return {
    /** Seconds to wait, or null when the request may try. */
    async blocked(req: FastifyRequest): Promise<number | null> {
      const state = await limiter(req, { increment: false });
      return !state.isAllowed && state.remaining <= 0 ? Math.max(1, state.ttlInSeconds) : null;
    },
    async fail(req: FastifyRequest): Promise<void> {
      await limiter(req);
    },
  };
}

/** Login failures: 5 per IP and 3 per account in 15 minutes, then 429 with Retry-After. */
export function loginLockout(app: FastifyInstance, email: (req: FastifyRequest) => string) {
  const window = 15 * MINUTE;
  const byIp = failureLimit(app, 'login-ip', 5, window, (req) => req.ip);
  const byAccount = failureLimit(app, 'login-account', 3, window, (req) => sha256(email(req)));
  return {
    async blocked(req: FastifyRequest): Promise<number | null> {
      const waits = (await Promise.all([byIp.blocked(req), byAccount.blocked(req)])).filter((w): w is number => w !== null);
      return waits.length ? Math.max(...waits) : null;
    },
    async fail(req: FastifyRequest): Promise<void> {
      await Promise.all([byIp.fail(req), byAccount.fail(req)]);
    },
  };
}
