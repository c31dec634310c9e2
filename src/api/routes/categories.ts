import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Precondition } from '../../commands/index.js';
import { categorySortFields, getCategory, listCategories, type CategorySortField } from '../../queries/categories.js';
import { tenantScope } from '../../queries/scope.js';
import type { AppDeps } from '../app.js';
import { commandContext } from '../auth.js';
import { IfMatchHeaders, ifMatch, withEtag } from '../etag.js';
import { withPosition } from '../freshness.js';
import { sendProblem } from '../problems.js';
import { CommandResult, IdParams, PageQuery, booleanQuery, commandResult, sortQuery } from '../schemas.js';

// Shared with routes/locations.ts: the catalog's names, preconditions and answers.
export const CatalogName = z.string().trim().min(1).max(100);

/** Documents If-Match; loose, so that the other headers (authorization) pass through. */
export const precondition = (req: FastifyRequest): Precondition => {
  const revision = ifMatch(req);
  return revision === undefined ? null : Number(revision);
};

const NewCategory = z.object({ name: CatalogName, parentId: z.uuid().nullish() });
const CategoryChange = z.object({ name: CatalogName });

const Category = z
  .object({
    id: z.uuid(),
    name: z.string(),
    parentId: z.uuid().nullable(),
    archived: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Category' });

const CategoryList = z.object({ items: z.array(Category), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

const ListQuery = PageQuery.extend({
  search: z.string().trim().max(200).optional(),
  sort: sortQuery(Object.keys(categorySortFields) as [CategorySortField, ...CategorySortField[]]),
  archived: booleanQuery.default(false),
  parentId: z.uuid().optional(),
});

export const categoryRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { commands, db, fresh }) => {
  app.addHook('preHandler', app.authenticate);
  const secured = { tags: ['inventory'], security: [{ bearer: [] }] };
  const write = app.can('inventory:write');

  app.get(
    '/categories',
    { schema: { ...secured, querystring: ListQuery, response: { 200: CategoryList } }, preHandler: [app.can('inventory:read'), fresh('categories')] },
    async (req) => {
      const { items, ...page } = await listCategories(tenantScope(db, req.user.tid), req.query);
      return { items: items.map(({ revision: _, ...c }) => c), ...page };
    },
  );

  app.post('/categories', { schema: { ...secured, body: NewCategory, response: { 201: CommandResult } }, preHandler: write }, async (req, reply) => {
    const written = await commands.createCategory(commandContext(req), { name: req.body.name, parentId: req.body.parentId ?? null });
    return withEtag(withPosition(reply, written.position), written.revision)
      .code(201)
      .header('location', `${req.url}/${written.id}`)
      .send(commandResult(written));
  });

  app.get(
    '/categories/:id',
    { schema: { ...secured, params: IdParams, response: { 200: Category } }, preHandler: [app.can('inventory:read'), fresh('categories')] },
    async (req, reply) => {
      const found = await getCategory(tenantScope(db, req.user.tid), req.params.id);
      if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such category.');
      const { revision, ...body } = found;
      return withEtag(reply, revision).send(body);
    },
  );

  app.patch(
    '/categories/:id',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, body: CategoryChange, response: { 200: CommandResult } }, preHandler: write },
    async (req, reply) => {
      const written = await commands.renameCategory(commandContext(req), req.params.id, req.body.name, precondition(req));
      return withEtag(withPosition(reply, written.position), written.revision).send(commandResult(written));
    },
  );

  // Archives: the category and its history stay, its name is free again.
  app.delete(
    '/categories/:id',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, response: { 204: z.null().describe('Archived') } }, preHandler: write },
    async (req, reply) => {
      const written = await commands.archiveCategory(commandContext(req), req.params.id, precondition(req));
      return withEtag(withPosition(reply, written.position), written.revision).code(204).send();
    },
  );
};
