// Stock movements of a product (receipts, adjustments, transfers, counts) and its stock
// per location and lot, and its history from the log.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AdjustmentReason } from '../../events/product.js';
import { productHistory } from '../../queries/history.js';
import { tenantScope } from '../../queries/scope.js';
import { productStock } from '../../queries/stock.js';
import type { AppDeps } from '../app.js';
import { commandContext } from '../auth.js';
import { guard } from '../guards.js';
import { withPosition } from '../freshness.js';
import { useIdempotency } from '../idempotency.js';
import { sendProblem } from '../problems.js';
import { CommandResult, IdParams, MoneyInput, NonNegativeQuantityInput, PageQuery, PositiveQuantityInput, QuantityInput, commandResult } from '../schemas.js';

const Lot = z.string().trim().min(1).max(64);

const Receipt = z.object({
  locationId: z.uuid().optional(),
  quantity: PositiveQuantityInput,
  unitCost: MoneyInput.optional(),
  lot: Lot.optional(),
  expiresOn: z.iso.date().optional(),
});

const Adjustment = z.object({
  locationId: z.uuid(),
  quantityDelta: QuantityInput.refine((q) => q !== '0', 'must not be zero'),
  reason: AdjustmentReason,
  lot: Lot.optional(),
  expiresOn: z.iso.date().optional(),
  note: z.string().max(1000).optional(),
});

const Transfer = z.object({
  fromLocationId: z.uuid(),
  toLocationId: z.uuid(),
  quantity: PositiveQuantityInput,
  lot: Lot.optional(),
  mode: z.enum(['immediate', 'ship']).default('immediate').describe('ship: two steps, received later with POST …/transfers/:transferId/receipts'),
});

const TransferParams = z.object({ id: z.uuid(), transferId: z.uuid() });
const TransferReceipt = z.object({ quantity: PositiveQuantityInput.optional().describe('Default: all that is still in transit') });
const Count = z.object({ locationId: z.uuid(), countedQuantity: NonNegativeQuantityInput, lot: Lot.optional() });

const StockView = z.object({
  averageCost: z.string(),
  lines: z.array(z.object({ locationId: z.uuid(), lot: z.string().nullable(), expiresOn: z.string().nullable(), quantity: z.number(), value: z.string() })),
});

const History = z.object({
  items: z.array(
    z.object({
      revision: z.number().int(),
      position: z.string(),
      type: z.string(),
      occurredAt: z.string(),
      actorId: z.string(),
      reason: z.string().nullable(),
      quantityChange: z.number(),
      resultingQuantity: z.number().describe('On hand, all locations, after this event'),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const stockRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { commands, db, store, fresh }) => {
  guard(app, { read: 'inventory:read', write: 'inventory:write' });
  useIdempotency(app, db);
  const secured = { tags: ['inventory'], security: [{ bearer: [] }] };
  const created = { ...secured, params: IdParams, response: { 201: CommandResult } };

  app.post('/products/:id/receipts', { schema: { ...created, body: Receipt } }, async (req, reply) => {
    const b = req.body;
    const written = await commands.receiveStock(commandContext(req), req.params.id, {
      locationId: b.locationId ?? null,
      quantity: b.quantity,
      unitCost: b.unitCost ?? null,
      lot: b.lot ?? null,
      expiresOn: b.expiresOn ?? null,
    });
    return withPosition(reply, written.position).code(201).send(commandResult(written));
  });

  app.post('/products/:id/adjustments', { schema: { ...created, body: Adjustment } }, async (req, reply) => {
    const { note, ...b } = req.body;
    const written = await commands.adjustStock(commandContext(req), req.params.id, { ...b, note: note ?? null });
    return withPosition(reply, written.position).code(201).send(commandResult(written));
  });

  app.post(
    '/products/:id/transfers',
    { schema: { ...secured, params: IdParams, body: Transfer, response: { 201: CommandResult.extend({ transferId: z.uuid() }) } } },
    async (req, reply) => {
      const written = await commands.transferStock(commandContext(req), req.params.id, req.body);
      return withPosition(reply, written.position)
        .code(201)
        .send({ ...commandResult(written), transferId: written.transferId });
    },
  );

  app.post(
    '/products/:id/transfers/:transferId/receipts',
    { schema: { ...secured, params: TransferParams, body: TransferReceipt, response: { 201: CommandResult } } },
    async (req, reply) => {
      const written = await commands.receiveTransfer(commandContext(req), req.params.id, req.params.transferId, req.body.quantity ?? null);
      return withPosition(reply, written.position).code(201).send(commandResult(written));
    },
  );

  app.post('/products/:id/counts', { schema: { ...created, body: Count } }, async (req, reply) => {
    const written = await commands.countStock(commandContext(req), req.params.id, req.body);
    return withPosition(reply, written.position).code(201).send(commandResult(written));
  });

  app.get(
    '/products/:id/stock',
    { schema: { ...secured, params: IdParams, response: { 200: StockView } }, preHandler: fresh('products') },
    async (req, reply) => {
      const found = await productStock(tenantScope(db, req.user.tid), req.params.id);
      if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such product.');
      return found;
    },
  );

  app.get(
    '/products/:id/history',
    { schema: { ...secured, params: IdParams, querystring: PageQuery, response: { 200: History } } },
    async (req, reply) => {
      const entries = await productHistory(store, req.user.tid, req.params.id);
      if (!entries) return sendProblem(req, reply, 404, 'not-found', 'No such product.');
      const { page, pageSize } = req.query;
      return { items: entries.slice((page - 1) * pageSize, page * pageSize), total: entries.length, page, pageSize };
    },
  );
};
