import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatPosition } from '../../eventstore/port.js';
import { projectionStatus } from '../../queries/projections.js';
import type { AppDeps } from '../app.js';

const Check = z.object({ status: z.enum(['up', 'down']), detail: z.string().optional() });
const Readiness = z.object({
  status: z.enum(['ready', 'not-ready']),
  checks: z.object({ eventStore: Check, readModels: Check }),
  head: z.string().optional().describe('Position of the last event in the log'),
  projections: z
    .array(z.object({ name: z.string(), position: z.string().nullable(), caughtUp: z.boolean(), parked: z.number().int() }))
    .optional()
    .describe('Lag shows as caughtUp: false; parked events need attention but do not make the service unready'),
});

export const healthRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { store, db, projections }) => {
  app.get('/health/live', { schema: { tags: ['system'], response: { 200: z.object({ status: z.literal('up') }) } } }, async () => ({
    status: 'up' as const,
  }));

  app.get('/health/ready', { schema: { tags: ['system'], response: { 200: Readiness, 503: Readiness } } }, async (_req, reply) => {
    const [head, status] = await Promise.allSettled([store.headPosition(), db.selectFrom('projection_checkpoints').select('name').limit(1).execute()]);
    const checks = { eventStore: check(head), readModels: check(status) };
    if (head.status === 'rejected' || status.status === 'rejected') {
      return reply.code(503).send({ status: 'not-ready', checks });
    }
    return {
      status: 'ready' as const,
      checks,
      head: formatPosition(head.value),
      projections: await projectionStatus(db, projections, head.value),
    };
  });
};

function check(result: PromiseSettledResult<unknown>): z.infer<typeof Check> {
  if (result.status === 'fulfilled') return { status: 'up' };
  const reason: unknown = result.reason;
  return { status: 'down', detail: reason instanceof Error ? reason.message : String(reason) };
}
