// The company profile with its onboarding checklist, and its settings. Both are the
// tenant stream: they share its revision as ETag, and If-Match guards their changes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getCompany, getSettings } from '../../queries/company.js';
import { tenantScope } from '../../queries/scope.js';
import { commandContext } from '../auth.js';
import { Problem, sendProblem } from '../problems.js';
import { CommandResult, NonNegativeQuantityInput } from '../schemas.js';
import { changedResult, ifMatch, type IdentityDeps } from './identity-schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

const CompanyPatch = z
  .object({
    companyName: z.string().trim().min(1).max(200).optional(),
    legalName: text(200),
    email: z.email().max(320).nullable().optional(),
    phone: text(50),
    website: z.url().max(500).nullable().optional(),
    address: text(1000),
    taxId: text(50),
    onboardingCompleted: z.literal(true).optional().describe('Dismisses the onboarding checklist'),
  })
  .strict();

const Company = z
  .object({
    id: z.uuid(),
    companyName: z.string(),
    legalName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    address: z.string().nullable(),
    taxId: z.string().nullable(),
    ownerId: z.uuid().nullable(),
    defaultLocationId: z.uuid(),
    createdAt: z.string(),
    onboarding: z.object({
      completed: z.boolean(),
      completedAt: z.string().nullable(),
      steps: z.object({ companyProfile: z.boolean(), settings: z.boolean(), firstProduct: z.boolean(), team: z.boolean() }),
    }),
  })
  .meta({ id: 'Company' });

const validTimezone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const currencies = new Set(Intl.supportedValuesOf('currency'));

const Settings = z
  .object({
    currency: z.string().refine((c) => currencies.has(c), 'must be an ISO 4217 currency code such as "EUR"'),
    timezone: z.string().min(1).max(64).refine(validTimezone, 'must be an IANA time zone such as "Europe/Berlin"'),
    lowStockThreshold: NonNegativeQuantityInput,
    expiryWarningDays: z.number().int().min(0).max(3650),
    alertEmails: z.boolean(),
  })
  .strict();
const SettingsView = z
  .object({ currency: z.string(), timezone: z.string(), lowStockThreshold: z.number(), expiryWarningDays: z.number().int(), alertEmails: z.boolean() })
  .meta({ id: 'Settings' });

const IfMatchHeaders = z.object({ 'if-match': z.string().optional() });

export const companyRoutes: FastifyPluginAsyncZod<IdentityDeps> = async (app, { commands, db, fresh }) => {
  const secured = { tags: ['company'], security: [{ bearer: [] }] };
  const denied = { 401: Problem, 403: Problem };
  const changes = { ...denied, 400: Problem, 412: Problem };

  const revisionOf = (req: FastifyRequest, reply: FastifyReply): bigint | undefined | FastifyReply => {
    const revision = ifMatch(req.headers['if-match']);
    return revision === null ? sendProblem(req, reply, 400, 'invalid-if-match', 'If-Match must be an ETag returned by this resource, e.g. "3".') : revision;
  };

  app.get(
    '/company',
    { schema: { ...secured, response: { 200: Company, ...denied } }, preHandler: [app.can('company:read'), fresh('tenants')] },
    async (req, reply) => {
      const found = await getCompany(tenantScope(db, req.user.tid));
      if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such company.');
      const { revision, ...company } = found;
      return reply.header('etag', `"${revision}"`).send(company);
    },
  );

  app.patch(
    '/company',
    { schema: { ...secured, headers: IfMatchHeaders, body: CompanyPatch, response: { 200: CommandResult, ...changes } }, preHandler: app.can('company:manage') },
    async (req, reply) => {
      const revision = revisionOf(req, reply);
      if (typeof revision === 'object') return revision;
      const { onboardingCompleted, ...profile } = req.body;
      const changes = Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined));
      const changed = await commands.updateCompanyProfile(commandContext(req), changes, {
        ...(onboardingCompleted ? { onboardingCompleted } : {}),
        ...(revision === undefined ? {} : { ifRevision: revision }),
      });
      return reply.header('etag', `"${changed.revision}"`).send(changedResult(reply, changed));
    },
  );

  app.get(
    '/settings',
    { schema: { ...secured, response: { 200: SettingsView, ...denied } }, preHandler: [app.can('company:read'), fresh('tenants')] },
    async (req, reply) => {
      const found = await getSettings(tenantScope(db, req.user.tid));
      if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such company.');
      const { revision, ...settings } = found;
      return reply.header('etag', `"${revision}"`).send(settings);
    },
  );

  app.put(
    '/settings',
    { schema: { ...secured, headers: IfMatchHeaders, body: Settings, response: { 200: CommandResult, ...changes } }, preHandler: app.can('settings:manage') },
    async (req, reply) => {
      const revision = revisionOf(req, reply);
      if (typeof revision === 'object') return revision;
      const changed = await commands.changeSettings(commandContext(req), req.body, revision);
      return reply.header('etag', `"${changed.revision}"`).send(changedResult(reply, changed));
    },
  );
};
