// Environment -> typed configuration, validated once at start.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const Port = z.coerce.number().int().min(0).max(65535);
const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: Port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  EVENT_STORE: z.enum(['postgres', 'eventstoredb']).optional(),
  EVENTSTORE_URL: z
    .string()
    .regex(/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//, 'must be an esdb:// (or kurrentdb://) connection string')
    .optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  READ_WAIT_MS: z.coerce.number().int().min(0).default(5000),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Stockbook <no-reply@stockbook.local>'),
  APP_URL: z.url().optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_JWKS_URL: z.url().default('https://www.googleapis.com/oauth2/v3/certs'),
  COOKIE_SECURE: Flag.optional(),
  TRUST_PROXY: Flag.default(false),
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(1000),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Where the event log lives: the SQL database, or an EventStoreDB/KurrentDB server. */
  eventStore: { kind: 'postgres' } | { kind: 'eventstoredb'; url: string };
  jwtSecret: string;
  logLevel: string;
  bodyLimit: number;
  /** How long a query waits for the read model to reach `X-Min-Log-Position`. */
  readWaitMs: number;
  /** Mail: SMTP when `smtpUrl` is set, otherwise .eml files in `outboxDir`. */
  mail: { smtpUrl: string | undefined; from: string; outboxDir: string; appUrl: string | undefined };
  /** Google sign-in, when a client id is configured. */
  google: { clientId: string; jwksUrl: string } | undefined;
  cookieSecure: boolean;
  trustProxy: boolean;
  /** Requests per minute per client IP on every route (null: no cap); counted in Redis when `redisUrl` is set. */
  rateLimit: { max: number | null; timeWindowMs: number; redisUrl: string | undefined };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const dataDir = resolve(c.DATA_DIR);
  if (!c.JWT_SECRET && c.NODE_ENV === 'production') {
    throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production']);
  }
  const storeKind = c.EVENT_STORE ?? (c.EVENTSTORE_URL ? 'eventstoredb' : 'postgres');
  if (storeKind === 'eventstoredb' && !c.EVENTSTORE_URL) {
    throw new ConfigError(['EVENTSTORE_URL: required when EVENT_STORE=eventstoredb']);
  }
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    dataDir,
    databaseUrl: c.DATABASE_URL,
    eventStore: storeKind === 'eventstoredb' ? { kind: 'eventstoredb', url: c.EVENTSTORE_URL! } : { kind: 'postgres' },
    jwtSecret: c.JWT_SECRET ?? developmentSecret(dataDir),
    logLevel: c.LOG_LEVEL,
    bodyLimit: c.BODY_LIMIT,
    readWaitMs: c.READ_WAIT_MS,
    mail: { smtpUrl: c.SMTP_URL, from: c.MAIL_FROM, outboxDir: join(dataDir, 'outbox'), appUrl: c.APP_URL },
    google: c.GOOGLE_CLIENT_ID ? { clientId: c.GOOGLE_CLIENT_ID, jwksUrl: c.GOOGLE_JWKS_URL } : undefined,
    // Plain-HTTP development would lose Secure cookies; everywhere else they are Secure.
    cookieSecure: c.COOKIE_SECURE ?? c.NODE_ENV !== 'development',
    trustProxy: c.TRUST_PROXY,
    rateLimit: { max: c.RATE_LIMIT_MAX === 0 ? null : c.RATE_LIMIT_MAX, timeWindowMs: 60_000, redisUrl: c.REDIS_URL },
  };
}

// An empty variable in a .env file means "not set", not "set to the empty string".
function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}

// Outside production a missing secret is generated once and kept with the data,
// so tokens survive a restart without anyone having to invent a secret.
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
