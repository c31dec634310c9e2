// CSV import (products and opening balances) and export. An import is checked in full
// before anything is written: a bad row is reported by its line, and nothing of the
// file is applied.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../commands/index.js';
import { formatPosition } from '../../eventstore/port.js';
import { listProducts } from '../../queries/products.js';
import { tenantScope } from '../../queries/scope.js';
import type { AppDeps } from '../app.js';
import { commandContext } from '../auth.js';
import { guard } from '../guards.js';
import { withPosition } from '../freshness.js';
import { sendProblem } from '../problems.js';
import { MoneyInput, NonNegativeQuantityInput } from '../schemas.js';

const MAX_ROWS = 10_000;
const blank = (v: unknown) => (v === '' ? undefined : v);
const csvNumber = z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), NonNegativeQuantityInput.optional());

export const ImportRow = z.object({
  sku: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._\-/]+$/, 'letters, digits and . _ - / only'),
  name: z.string().trim().min(1).max(200),
  description: z.preprocess(blank, z.string().max(5000).optional()),
  categoryId: z.preprocess(blank, z.uuid().optional()),
  price: MoneyInput,
  cost: z.preprocess(blank, MoneyInput.optional()),
  unit: z.preprocess(blank, z.string().trim().min(1).max(32).optional()),
  barcode: z.preprocess(blank, z.string().trim().min(1).max(64).optional()),
  minThreshold: csvNumber,
  tracksExpiry: z.preprocess((v) => (v === '' || v === undefined ? undefined : v === 'true'), z.boolean().optional()),
  quantity: csvNumber.describe('Opening balance'),
  unitCost: z.preprocess(blank, MoneyInput.optional()),
  locationId: z.preprocess(blank, z.uuid().optional()),
  lot: z.preprocess(blank, z.string().trim().min(1).max(64).optional()),
  expiresOn: z.preprocess(blank, z.iso.date().optional()),
});
export type ImportRow = z.infer<typeof ImportRow>;

const EXPORT_COLUMNS = ['sku', 'name', 'description', 'categoryId', 'price', 'cost', 'unit', 'barcode', 'minThreshold', 'tracksExpiry', 'quantity', 'value', 'archived'] as const;

export const productCsvRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { commands, db, fresh, calendar }) => {
  guard(app, { read: 'inventory:read', write: 'inventory:write' });
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const secured = { tags: ['inventory'], security: [{ bearer: [] }] };

  app.post(
    '/products/import',
    {
      schema: {
        ...secured,
        description: `text/csv with a header row: ${Object.keys(ImportRow.shape).join(', ')} (sku, name and price required)`,
        body: z.string(),
        response: { 201: z.object({ imported: z.number().int(), position: z.string() }) },
      },
    },
    async (req, reply) => {
      const parsed = parseRows(req.body);
      if ('errors' in parsed) return sendProblem(req, reply, 422, 'invalid-import', 'The file has invalid rows; nothing was imported.', { errors: parsed.errors });
      try {
        const done = await commands.importProducts(commandContext(req), parsed.rows);
        return withPosition(reply, done.position).code(201).send({ imported: parsed.rows.length, position: formatPosition(done.position) });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'invalid-import') {
          return sendProblem(req, reply, 422, 'invalid-import', 'The file has invalid rows; nothing was imported.', error.details);
        }
        throw error;
      }
    },
  );

  app.get('/products/export.csv', { schema: { ...secured, produces: ['text/csv'] }, preHandler: fresh('products', 'tenants') }, async (req, reply) => {
    const scope = tenantScope(db, req.user.tid);
    const { today } = await calendar(scope);
    const rows: unknown[][] = [];
    for (let page = 1; ; page++) {
      const { items, total } = await listProducts(scope, { page, pageSize: 100, sort: [{ field: 'sku', direction: 'asc' }], archived: false, today });
      rows.push(...items.map((p) => EXPORT_COLUMNS.map((c) => p[c])));
      if (page * 100 >= total) break;
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="products.csv"')
      .send(stringify([EXPORT_COLUMNS as unknown as string[], ...rows], { cast: { boolean: (b) => String(b) } }));
  });
};

type Parsed = { rows: ImportRow[] } | { errors: { line: number; field: string; message: string }[] };

function parseRows(text: string): Parsed {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { errors: [{ line, field: '(file)', message: error instanceof Error ? error.message : 'not valid CSV' }] };
  }
  if (records.length === 0) return { errors: [{ line: 1, field: '(file)', message: 'no rows' }] };
  if (records.length > MAX_ROWS) return { errors: [{ line: MAX_ROWS + 2, field: '(file)', message: `at most ${MAX_ROWS} rows per file` }] };
  const rows: ImportRow[] = [];
  const errors: { line: number; field: string; message: string }[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const line = i + 2; // the header is line 1
    const row = ImportRow.safeParse(record);
    if (!row.success) {
      for (const issue of row.error.issues) errors.push({ line, field: issue.path.join('.') || '(row)', message: issue.message });
      return;
    }
    const sku = row.data.sku.toUpperCase();
    if (seen.has(sku)) errors.push({ line, field: 'sku', message: `duplicate of line ${seen.get(sku)}` });
    seen.set(sku, line);
    rows.push(row.data);
  });
  return errors.length ? { errors } : { rows };
}
