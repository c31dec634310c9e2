// Products: the catalog (list, read, create, change, archive) and per-location thresholds.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getProduct, listProducts, productSortFields, type ProductSortField } from '../../queries/products.js';
import { tenantScope } from '../../queries/scope.js';
import type { AppDeps } from '../app.js';
import { commandContext } from '../auth.js';
import { guard } from '../guards.js';
import { IfMatchHeaders, ifMatch, withEtag } from '../etag.js';
import { withPosition } from '../freshness.js';
import { useIdempotency } from '../idempotency.js';
import { sendProblem } from '../problems.js';
import { CommandResult, IdParams, MoneyInput, NonNegativeQuantityInput, PageQuery, booleanQuery, commandResult, sortQuery } from '../schemas.js';

const Sku = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._\-/]+$/, 'letters, digits and . _ - / only');

const NewProduct = z.object({
  sku: Sku,
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).nullish(),
  categoryId: z.uuid().nullish(),
  price: MoneyInput,
  cost: MoneyInput.optional(),
  unit: z.string().trim().min(1).max(32).optional(),
  barcode: z.string().trim().min(1).max(64).nullish(),
  minThreshold: NonNegativeQuantityInput.optional(),
  tracksExpiry: z.boolean().optional(),
});

const ProductChanges = z
  .object({
    sku: Sku,
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).nullable(),
    categoryId: z.uuid().nullable(),
    price: MoneyInput,
    cost: MoneyInput,
    unit: z.string().trim().min(1).max(32),
    barcode: z.string().trim().min(1).max(64).nullable(),
    minThreshold: NonNegativeQuantityInput,
    tracksExpiry: z.boolean(),
  })
  .partial()
  .strict();

export const Product = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    categoryId: z.uuid().nullable(),
    price: z.string(),
    cost: z.string(),
    unit: z.string(),
    barcode: z.string().nullable(),
    minThreshold: z.number(),
    tracksExpiry: z.boolean(),
    quantity: z.number().describe('On hand, all locations'),
    inTransit: z.number().describe('Shipped by two-step transfers, not yet received'),
    value: z.string().describe('Value of on-hand and in-transit stock'),
    averageCost: z.string().describe('Moving weighted-average unit cost'),
    isLowStock: z.boolean(),
    isExpired: z.boolean().describe('Some stock on hand expires on or before today (tenant timezone)'),
    archived: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Product' });

const ProductList = z.object({ items: z.array(Product), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

const ListQuery = PageQuery.extend({
  search: z.string().trim().max(200).optional(),
  sort: sortQuery(Object.keys(productSortFields) as [ProductSortField, ...ProductSortField[]]),
  archived: booleanQuery.default(false),
  categoryId: z.uuid().optional(),
  locationId: z.uuid().optional(),
  lowStock: booleanQuery.optional(),
  expired: booleanQuery.optional(),
});

const ThresholdParams = z.object({ id: z.uuid(), locationId: z.uuid() });

export const productRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { commands, db, fresh, calendar }) => {
  guard(app, { read: 'inventory:read', write: 'inventory:write' });
  useIdempotency(app, db);
  const secured = { tags: ['inventory'], security: [{ bearer: [] }] };

  app.get(
    '/products',
    { schema: { ...secured, querystring: ListQuery, response: { 200: ProductList } }, preHandler: fresh('products', 'tenants', 'locations') },
    async (req) => {
      const scope = tenantScope(db, req.user.tid);
      const { today } = await calendar(scope);
      const { items, ...page } = await listProducts(scope, { ...req.query, today });
      return { items: items.map(({ revision: _, ...p }) => p), ...page };
    },
  );

  app.get(
    '/products/:id',
    { schema: { ...secured, params: IdParams, response: { 200: Product } }, preHandler: fresh('products', 'tenants') },
    async (req, reply) => {
      const scope = tenantScope(db, req.user.tid);
      const found = await getProduct(scope, req.params.id, (await calendar(scope)).today);
      if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such product.');
      const { revision, ...body } = found;
      return withEtag(reply, revision).send(body);
    },
  );

  app.post('/products', { schema: { ...secured, body: NewProduct, response: { 201: CommandResult } } }, async (req, reply) => {
    const b = req.body;
    const written = await commands.createProduct(commandContext(req), {
      sku: b.sku,
      name: b.name,
      description: b.description ?? null,
      categoryId: b.categoryId ?? null,
      price: b.price,
      cost: b.cost ?? '0',
      unit: b.unit ?? 'each',
      barcode: b.barcode ?? null,
      minThreshold: b.minThreshold ?? null,
      tracksExpiry: b.tracksExpiry ?? false,
    });
    return withPosition(reply, written.position)
      .code(201)
      .header('location', `${req.url}/${written.id}`)
      .send(commandResult(written));
  });

  app.patch(
    '/products/:id',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, body: ProductChanges, response: { 200: CommandResult } } },
    async (req, reply) => {
      const written = await commands.updateProduct(commandContext(req), req.params.id, req.body, ifMatch(req));
      return withEtag(withPosition(reply, written.position), written.revision).send(commandResult(written));
    },
  );

  // Archives: the product leaves the lists; its history stays. Archiving twice is a no-op.
  app.delete(
    '/products/:id',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, response: { 204: z.null().describe('Archived') } } },
    async (req, reply) => {
      const written = await commands.archiveProduct(commandContext(req), req.params.id, ifMatch(req));
      return withEtag(withPosition(reply, written.position), written.revision).code(204).send();
    },
  );

  app.put(
    '/products/:id/thresholds/:locationId',
    { schema: { ...secured, params: ThresholdParams, body: z.object({ minThreshold: NonNegativeQuantityInput }), response: { 200: CommandResult } } },
    async (req, reply) => {
      const written = await commands.setLocationThreshold(commandContext(req), req.params.id, req.params.locationId, req.body.minThreshold);
      return withPosition(reply, written.position).send(commandResult(written));
    },
  );

  app.delete(
    '/products/:id/thresholds/:locationId',
    { schema: { ...secured, params: ThresholdParams, response: { 200: CommandResult } } },
    async (req, reply) => {
      const written = await commands.setLocationThreshold(commandContext(req), req.params.id, req.params.locationId, null);
      return withPosition(reply, written.position).send(commandResult(written));
    },
  );
};
