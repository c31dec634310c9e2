// Customers: list and search, create, read (with addresses), change, archive, and
// their addresses with one default per kind.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AddressKind, addressKinds, isCountryCode } from '../../events/customer.js';
import { customerSortFields, getCustomer, listCustomers, type CustomerSortField } from '../../queries/customers.js';
import { tenantScope } from '../../queries/scope.js';
import type { AppDeps } from '../app.js';
import { commandContext } from '../auth.js';
import { IfMatchHeaders, ifMatch, withEtag } from '../etag.js';
import { withPosition } from '../freshness.js';
import { guard } from '../guards.js';
import { useIdempotency } from '../idempotency.js';
import { Problem, sendProblem } from '../problems.js';
import { CommandResult, IdParams, PageQuery, booleanQuery, commandResult, sortQuery } from '../schemas.js';

/** Optional text: blank counts as none (a cleared form field), so it is stored as null. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullable();

const Name = z.string().trim().min(1).max(200);
const Email = optionalText(254).refine((s) => s === null || z.email().safeParse(s).success, 'must be an email address');
const Phone = optionalText(40).refine(
  (s) => s === null || /^\+?[\d\s().\-/]*\d[\d\s().\-/]*$/.test(s),
  'must be a phone number: digits, spaces, + ( ) . - / only',
);
const Note = optionalText(2000);

const AddressLineFields = {
  line1: z.string().trim().min(1).max(200),
  line2: optionalText(200),
  city: z.string().trim().min(1).max(100),
  postalCode: optionalText(20),
  region: optionalText(100),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code, such as "DE"')
    .describe('ISO 3166-1 alpha-2'),
};

const NewAddressBody = z
  .object({
    kind: AddressKind,
    ...AddressLineFields,
    line2: AddressLineFields.line2.optional(),
    postalCode: AddressLineFields.postalCode.optional(),
    region: AddressLineFields.region.optional(),
    isDefault: z.boolean().optional().describe("Make it its kind's default (the first of a kind always is)"),
  })
  .strict();
type NewAddressBody = z.infer<typeof NewAddressBody>;

const AddressChange = z
  .object(AddressLineFields)
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'name at least one field to change')
  .describe('The kind of an address does not change: remove it and add it again');

const NewCustomer = z
  .object({
    name: Name,
    email: Email.optional(),
    phone: Phone.optional(),
    note: Note.optional(),
    addresses: z
      .array(NewAddressBody)
      .max(20)
      .optional()
      .refine(
        (list) => addressKinds.every((kind) => (list ?? []).filter((a) => a.kind === kind && a.isDefault).length <= 1),
        'at most one default address per kind',
      ),
  })
  .strict();

const CustomerChange = z
  .object({ name: Name, email: Email, phone: Phone, note: Note })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'name at least one field to change');

const CustomerFields = {
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  note: z.string().nullable(),
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
const Customer = z.object(CustomerFields).meta({ id: 'Customer' });

const Address = z
  .object({
    id: z.uuid(),
    kind: AddressKind,
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    postalCode: z.string().nullable(),
    region: z.string().nullable(),
    country: z.string(),
    isDefault: z.boolean().describe('The default of its kind: exactly one per kind that has addresses'),
  })
  .meta({ id: 'CustomerAddress' });

const CustomerDetail = z.object({ ...CustomerFields, addresses: z.array(Address).describe('In the order they were added') }).meta({ id: 'CustomerDetail' });

const CustomerList = z.object({ items: z.array(Customer), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

const ListQuery = PageQuery.extend({
  search: z.string().trim().max(200).optional().describe('Part of the name, email or phone (a phone matches by its digits too)'),
  sort: sortQuery(Object.keys(customerSortFields) as [CustomerSortField, ...CustomerSortField[]]),
  archived: booleanQuery.default(false),
});

const AddressParams = z.object({ id: z.uuid(), addressId: z.uuid() });

// The error answers each route documents (problem+json). 409: the customer is archived.
const denied = { 400: Problem, 401: Problem, 403: Problem };
const reading = { ...denied, 503: Problem };
const changing = { ...denied, 404: Problem, 409: Problem, 412: Problem };

// Address commands answer with the address's id and the customer's revision (its ETag).
const addressCommand = { description: "Answers the address's id and the customer's revision (its ETag)." };

const toAddress = ({ isDefault, ...a }: NewAddressBody) => ({
  ...a,
  line2: a.line2 ?? null,
  postalCode: a.postalCode ?? null,
  region: a.region ?? null,
  makeDefault: isDefault ?? false,
});

export const customerRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { commands, db, fresh }) => {
  guard(app, { read: 'sales:read', write: 'sales:write' });
  useIdempotency(app, db);
  const secured = { tags: ['sales'], security: [{ bearer: [] }] };

  app.get(
    '/customers',
    { schema: { ...secured, querystring: ListQuery, response: { 200: CustomerList, ...reading } }, preHandler: fresh('customers') },
    async (req) => {
      const { items, ...page } = await listCustomers(tenantScope(db, req.user.tid), req.query);
      return { items: items.map(({ revision: _, ...c }) => c), ...page };
    },
  );

  app.post('/customers', { schema: { ...secured, body: NewCustomer, response: { 201: CommandResult, ...denied } } }, async (req, reply) => {
    const b = req.body;
    const written = await commands.createCustomer(commandContext(req), {
      name: b.name,
      email: b.email ?? null,
      phone: b.phone ?? null,
      note: b.note ?? null,
      addresses: (b.addresses ?? []).map(toAddress),
    });
    return withEtag(withPosition(reply, written.position), written.revision)
      .code(201)
      .header('location', `${req.url}/${written.id}`)
      .send(commandResult(written));
  });

  app.get(
    '/customers/:id',
    { schema: { ...secured, params: IdParams, response: { 200: CustomerDetail, ...reading, 404: Problem } }, preHandler: fresh('customers') },
    async (req, reply) => {
      const found = await getCustomer(tenantScope(db, req.user.tid), req.params.id);
      if (!found) return sendProblem(req, reply, 404, 'not-found', 'No such customer.');
      const { revision, ...body } = found;
      return withEtag(reply, revision).send(body);
    },
  );

  app.patch(
    '/customers/:id',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, body: CustomerChange, response: { 200: CommandResult, ...changing } } },
    async (req, reply) => {
      const written = await commands.updateCustomer(commandContext(req), req.params.id, req.body, ifMatch(req));
      return withEtag(withPosition(reply, written.position), written.revision).send(commandResult(written));
    },
  );

  // Archives: the customer and its history stay (sales point at it). Twice is a no-op.
  app.delete(
    '/customers/:id',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, response: { 204: z.null().describe('Archived'), ...changing } } },
    async (req, reply) => {
      const written = await commands.archiveCustomer(commandContext(req), req.params.id, ifMatch(req));
      return withEtag(withPosition(reply, written.position), written.revision).code(204).send();
    },
  );

  app.post(
    '/customers/:id/addresses',
    { schema: { ...secured, params: IdParams, headers: IfMatchHeaders, body: NewAddressBody, ...addressCommand, response: { 201: CommandResult, ...changing } } },
    async (req, reply) => {
      const written = await commands.addCustomerAddress(commandContext(req), req.params.id, toAddress(req.body), ifMatch(req));
      return withEtag(withPosition(reply, written.position), written.revision).code(201).send(commandResult(written));
    },
  );

  app.patch(
    '/customers/:id/addresses/:addressId',
    { schema: { ...secured, params: AddressParams, headers: IfMatchHeaders, body: AddressChange, ...addressCommand, response: { 200: CommandResult, ...changing } } },
    async (req, reply) => {
      const { id, addressId } = req.params;
      const written = await commands.updateCustomerAddress(commandContext(req), id, addressId, req.body, ifMatch(req));
      return withEtag(withPosition(reply, written.position), written.revision).send(commandResult(written));
    },
  );

  // Removing a kind's default makes the earliest-added address left of that kind the default.
  app.delete(
    '/customers/:id/addresses/:addressId',
    { schema: { ...secured, params: AddressParams, headers: IfMatchHeaders, response: { 204: z.null().describe('Removed'), ...changing } } },
    async (req, reply) => {
      const { id, addressId } = req.params;
      const written = await commands.removeCustomerAddress(commandContext(req), id, addressId, ifMatch(req));
      return withEtag(withPosition(reply, written.position), written.revision).code(204).send();
    },
  );

  app.post(
    '/customers/:id/addresses/:addressId/default',
    { schema: { ...secured, params: AddressParams, headers: IfMatchHeaders, ...addressCommand, response: { 200: CommandResult, ...changing } } },
    async (req, reply) => {
      const { id, addressId } = req.params;
      const written = await commands.setDefaultCustomerAddress(commandContext(req), id, addressId, ifMatch(req));
      return withEtag(withPosition(reply, written.position), written.revision).send(commandResult(written));
    },
  );
};
