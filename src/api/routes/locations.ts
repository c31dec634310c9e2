import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getLocation, listLocations, locationSortFields, PRODUCT_LIMIT, type LocationSortField } from '../../queries/locations.js';
import { tenantScope } from '../../queries/scope.js';
import type { AppDeps } from '../app.js';
import { commandContext } from '../auth.js';
import { IfMatchHeaders, withEtag } from '../etag.js';
import { withPosition } from '../freshness.js';
import { sendProblem } from '../problems.js';
import { CommandResult, IdParams, PageQuery, booleanQuery, commandResult, sortQuery } from '../schemas.js';
import { CatalogName, precondition } from './categories.js';

const NewLocation = z.object({ name: CatalogName, parentId: z.uuid().nullish() });

const LocationChange = z
  .object({
    name: CatalogName.optional(),
    parentId: z.uuid().nullable().optional().describe('The new parent; null makes the location a root'),
  })
  .refine((c) => c.name !== undefined || c.parentId !== undefined, 'name or parentId is required');

const LocationFields = {
  id: z.uuid(),
  name: z.string(),
  parentId: z.uuid().nullable(),
  ancestorIds: z.array(z.uuid()).describe('Root first; this location excluded'),
  depth: z.number().int().describe('0 for a root'),
  archived: z.boolean(),
  isDefault: z.boolean().describe("The company's default location: receipts without a location go here; it cannot be archived"),
  createdAt: z.string(),
  updatedAt: z.string(),
};

const Location = z.object(LocationFields).meta({ id: 'Location' });

const StockFigures = { quantity: z.number(), value: z.string().describe('quantity × the products’ moving average cost') };

const LocationDetail = z
  .object({
    ...LocationFields,
    ancestors: z.array(z.object({ id: z.uuid(), name: z.string() })).describe('Root first'),
    stock: z
      .object({
        ...StockFigures,
        here: z.object(StockFigures).describe('At this location itself, not below it'),
        productCount: z.number().int(),
        products: z
          .array(
            z.object({
              productId: z.uuid(),
              sku: z.string(),
              name: z.string(),
              quantity: z.number().describe('Here and below'),
              quantityHere: z.number(),
              value: z.string(),
            }),
          )
          .describe(`The ${PRODUCT_LIMIT} largest holdings`),
      })
      .describe('On hand at this location and every location below it'),
  })
  .meta({ id: 'LocationDetail' });

const LocationList = z.object({ items: z.array(Location), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

const ListQuery = PageQuery.extend({
  search: z.string().trim().max(200).optional(),
  sort: sortQuery(Object.keys(locationSortFields) as [LocationSortField, ...LocationSortField[]]),
  archived: booleanQuery.default(false),
  parentId: z.union([z.uuid(), z.literal('root')]).optional().describe("A location's id for its children, `root` for the top level"),
});

export const locationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { commands, db, fresh }) => {
  app.addHook('preHandler', app.authenticate);
  const secured = { tags: ['inventory'], security: [{ bearer: [] }] };
  const write = app.can('inventory:write');

  app.get(
    '/locations',
    {
      schema: { ...secured, querystring: ListQuery, response: { 200: LocationList } },
      preHandler: [app.can('inventory:read'), fresh('locations', 'tenants')],
    },
    async (req) => {
      const { items, ...page } = await listLocations(tenantScope(db, req.user.tid), req.query);
      return { items: items.map(({ revision: _, ...l }) => l), ...page };
    },
  );

  app.post('/locations', { schema: { ...secured, body: NewLocation, response: { 201: CommandResult } }, preHandler: write }, async (req, reply) => {
    const written = await commands.createLocation(commandContext(req), { name: req.body.name, parentId: req.body.parentId ?? null });
    return withEtag(withPosition(reply, written.position), written.revision)
      .code(201)
      .header('location', `${req.url}/${written.id}`)
      .send(commandResult(written));
  });

  // The roll-up reads stock from the products read model: a position from a receipt
  // waits for that one too.
  app.get(
    '/locations/:id',
    {
      schema: { ...secured, params: IdParams, response: { 200: LocationDetail } },
      preHandler: [app.can('inventory:read'), fresh('locations', 'tenants', 'products')],
    },
    async (req, reply) => {
      const found = await getLocation(tenantScope(db, req.user.tid), req.params.id);
      if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such location.');
      const { revision, ...body } = found;
      return withEtag(reply, revision).send(body);
    },
  );

  app.patch(
    '/locations/:id',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, body: LocationChange, response: { 200: CommandResult } }, preHandler: write },
    async (req, reply) => {
      const written = await commands.updateLocation(commandContext(req), req.params.id, req.body, precondition(req));
      return withEtag(withPosition(reply, written.position), written.revision).send(commandResult(written));
    },
  );

  // Archives: the location, its history and any stock records stay.
  app.delete(
    '/locations/:id',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, response: { 204: z.null().describe('Archived') } }, preHandler: write },
    async (req, reply) => {
      const written = await commands.archiveLocation(commandContext(req), req.params.id, precondition(req));
      return withEtag(withPosition(reply, written.position), written.revision).code(204).send();
    },
  );
};
