// Sales: sell (the saga), read, return, void.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatPosition } from '../../eventstore/port.js';
import { getSale, listSales } from '../../queries/sales.js';
import { tenantScope } from '../../queries/scope.js';
import type { AppDeps } from '../app.js';
import { commandContext } from '../auth.js';
import { withEtag } from '../etag.js';
import { withPosition } from '../freshness.js';
import { guard } from '../guards.js';
import { useIdempotency } from '../idempotency.js';
import { sendProblem } from '../problems.js';
import { IdParams, MoneyInput, PageQuery, PositiveQuantityInput } from '../schemas.js';

const NewSale = z.object({
  customerId: z.uuid().optional(),
  locationId: z.uuid(),
  lines: z
    .array(z.object({ productId: z.uuid(), quantity: PositiveQuantityInput, unitPrice: MoneyInput.optional().describe("Default: the product's price") }))
    .min(1)
    .max(200),
});

const SaleLine = z.object({ line: z.number().int(), productId: z.uuid(), quantity: z.number(), unitPrice: z.string(), cost: z.string(), returned: z.number() });
const Sale = z
  .object({
    id: z.uuid(),
    customerId: z.uuid().nullable(),
    locationId: z.uuid(),
    status: z.enum(['pending', 'completed', 'rejected', 'voided']),
    total: z.string(),
    refunded: z.string(),
    revenue: z.string().describe('Net of returns'),
    cost: z.string().describe('Cost of goods sold, net of returns'),
    grossMargin: z.string(),
    shortLines: z.array(z.unknown()).nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    lines: z.array(SaleLine),
  })
  .meta({ id: 'Sale' });

const Placed = z.object({ id: z.uuid(), status: z.literal('completed'), revision: z.number().int(), position: z.string() });
const Changed = z.object({ id: z.uuid(), revision: z.number().int(), position: z.string() });

const ListQuery = PageQuery.extend({
  customerId: z.uuid().optional(),
  productId: z.uuid().optional(),
  status: z.enum(['pending', 'completed', 'rejected', 'voided']).optional(),
  from: z.iso.date().optional().describe('Tenant-local date, inclusive'),
  to: z.iso.date().optional().describe('Tenant-local date, inclusive'),
});

const Return = z.object({
  lines: z.array(z.object({ productId: z.uuid(), quantity: PositiveQuantityInput })).min(1),
  restock: z.boolean().describe('true: back on the shelf; false: written off'),
  locationId: z.uuid().optional().describe("Where restocked goods go; default: the sale's location"),
});

export const saleRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { commands, db, fresh, calendar }) => {
  guard(app, { read: 'sales:read', write: 'sales:write' });
  useIdempotency(app, db);
  const secured = { tags: ['sales'], security: [{ bearer: [] }] };

  app.post('/sales', { schema: { ...secured, body: NewSale, response: { 201: Placed } } }, async (req, reply) => {
    const outcome = await commands.placeSale(commandContext(req), {
      customerId: req.body.customerId ?? null,
      locationId: req.body.locationId,
      lines: req.body.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice ?? null })),
    });
    withPosition(reply, outcome.position);
    if (outcome.status === 'rejected') {
      const shortLines = outcome.shortLines.map((l) => ({ ...l, requested: Number(l.requested), available: Number(l.available) }));
      return sendProblem(req, reply, 409, 'insufficient-stock', 'Some lines are short of stock; nothing of the sale was taken.', { saleId: outcome.saleId, shortLines });
    }
    return reply
      .code(201)
      .header('location', `${req.url}/${outcome.saleId}`)
      .send({ id: outcome.saleId, status: 'completed' as const, revision: Number(outcome.revision), position: formatPosition(outcome.position) });
  });

  app.get('/sales', { schema: { ...secured, querystring: ListQuery, response: { 200: z.object({ items: z.array(Sale), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }) } }, preHandler: fresh('sales', 'tenants') }, async (req) => {
    const scope = tenantScope(db, req.user.tid);
    const { timezone } = await calendar(scope);
    const { items, ...page } = await listSales(scope, { ...req.query, timezone });
    return { items: items.map(({ revision: _, ...s }) => s), ...page };
  });

  app.get('/sales/:id', { schema: { ...secured, params: IdParams, response: { 200: Sale } }, preHandler: fresh('sales') }, async (req, reply) => {
    const found = await getSale(tenantScope(db, req.user.tid), req.params.id);
    if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such sale.');
    const { revision, ...body } = found;
    return withEtag(reply, revision).send(body);
  });

  app.post('/sales/:id/returns', { schema: { ...secured, params: IdParams, body: Return, response: { 201: Changed.extend({ returnId: z.uuid() }) } } }, async (req, reply) => {
    const done = await commands.returnItems(commandContext(req), req.params.id, {
      restock: req.body.restock,
      locationId: req.body.locationId ?? null,
      items: req.body.lines,
    });
    return withPosition(reply, done.position).code(201).send({ id: done.saleId, returnId: done.returnId, revision: Number(done.revision), position: formatPosition(done.position) });
  });

  app.post(
    '/sales/:id/void',
    { schema: { ...secured, params: IdParams, response: { 200: Changed } }, preHandler: app.can('sales:void') },
    async (req, reply) => {
      const done = await commands.voidSale(commandContext(req), req.params.id);
      return withPosition(reply, done.position).send({ id: done.saleId, revision: Number(done.revision), position: formatPosition(done.position) });
    },
  );
};
