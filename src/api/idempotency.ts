// Idempotency-Key on POST commands: the first response to a key is kept, and a repeat
// of the same request gets it again instead of running the command twice. The same key
// with a different request is a client bug (422); a repeat that arrives while the first
// is still running is told so (409). Server errors are not kept: those may be retried.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReadDb } from '../projections/read-db.js';
import { sendProblem } from './problems.js';

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['x-log-position', 'etag', 'location'];
const claimed = new WeakSet<FastifyRequest>();

const hashOf = (req: FastifyRequest) => createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');

/** Adds the Idempotency-Key hooks to an authenticated route plugin (after its auth hook). */
export function useIdempotency(app: FastifyInstance, db: ReadDb): void {
  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined || reply.sent) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      await sendProblem(req, reply, 400, 'invalid-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
      return;
    }
    const tenantId = req.user.tid;
    const requestHash = hashOf(req);
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ tenant_id: tenantId, key, request_hash: requestHash, status_code: 0, body: null, headers: null })
      .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) {
      claimed.add(req);
      return;
    }
    const first = await db.selectFrom('idempotency_keys').selectAll().where('tenant_id', '=', tenantId).where('key', '=', key).executeTakeFirstOrThrow();
    if (first.request_hash !== requestHash) {
      await sendProblem(req, reply, 422, 'idempotency-key-reused', 'This Idempotency-Key was used for a different request.');
    } else if (first.status_code === 0) {
      reply.header('retry-after', '1');
      await sendProblem(req, reply, 409, 'idempotency-key-in-flight', 'The first request with this Idempotency-Key is still being handled.');
    } else {
      await replay(reply, first);
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!claimed.has(req)) return payload;
    const key = req.headers['idempotency-key'] as string;
    const where = db.deleteFrom('idempotency_keys').where('tenant_id', '=', req.user.tid).where('key', '=', key);
    if (reply.statusCode >= 500) {
      await where.execute();
      return payload;
    }
    const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((h) => (reply.hasHeader(h) ? [[h, String(reply.getHeader(h))]] : [])));
    headers['content-type'] = String(reply.getHeader('content-type') ?? 'application/json');
    await db
      .updateTable('idempotency_keys')
      .set({ status_code: reply.statusCode, body: typeof payload === 'string' ? payload : null, headers: JSON.stringify(headers) })
      .where('tenant_id', '=', req.user.tid)
      .where('key', '=', key)
      .execute();
    return payload;
  });
}

async function replay(reply: FastifyReply, first: { status_code: number; body: string | null; headers: string | null }): Promise<void> {
  const headers = JSON.parse(first.headers ?? '{}') as Record<string, string>;
  // The stored body is already serialized: it goes out as is.
  await reply.code(first.status_code).headers(headers).header('idempotent-replayed', 'true').serializer((body: unknown) => body as string).send(first.body ?? '');
}
