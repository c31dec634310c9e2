// The CRUD baseline server (a child process, see child.ts): the same framework and
// driver as Stockbook, but a receipt or a sale is a single UPDATE: no auth, no event
// log, no projections. Stockbook's throughput is reported as a ratio of this one's.
import Fastify from 'fastify';
import pg from 'pg';
import { z } from 'zod';
import { RECEIVE_SQL, SELL_SQL } from './baseline-table.js';
import { searchPath } from './postgres.js';
import { serve } from './serve.js';

const env = z.object({ BENCH_DATABASE_URL: z.string().min(1), BENCH_SCHEMA: z.string().min(1) }).parse(process.env);
// Stockbook's pool size (src/database.ts), so neither side wins on connections.
const pool = new pg.Pool({ connectionString: env.BENCH_DATABASE_URL, options: searchPath(env.BENCH_SCHEMA), max: 10 });
pool.on('error', () => undefined);

// Named after Stockbook's commands, whose counters the same scenarios read.
const counts = { receiveStock: 0, placeSale: 0 };
const app = Fastify({ logger: false });

// Validated like Stockbook's routes validate theirs (a uuid, a positive quantity), so the
// baseline pays for the same checks.
const stockWrite = {
  schema: {
    params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
    body: {
      type: 'object',
      required: ['quantity'],
      additionalProperties: false,
      properties: { quantity: { type: 'number', exclusiveMinimum: 0 } },
    },
  },
};
type StockWrite = { Params: { id: string }; Body: { quantity: number } };

app.post<StockWrite>('/stock/:id/receipts', stockWrite, async (req, reply) => {
  const { rowCount } = await pool.query(RECEIVE_SQL, [req.body.quantity, req.params.id]);
  if (!rowCount) return reply.code(404).send({ code: 'not-found' });
  counts.receiveStock++;
  return reply.code(201).send({ id: req.params.id });
});

// No row updated: the product is unknown or short of stock; Stockbook answers 409 to the latter.
app.post<StockWrite>('/stock/:id/sales', stockWrite, async (req, reply) => {
  const { rowCount } = await pool.query(SELL_SQL, [req.body.quantity, req.params.id]);
  if (!rowCount) return reply.code(409).send({ code: 'insufficient-stock' });
  counts.placeSale++;
  return reply.code(201).send({ id: req.params.id });
});

await serve(app, { counters: () => ({ ...counts }), close: () => pool.end() });
