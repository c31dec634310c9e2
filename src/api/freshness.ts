// Read-your-writes over HTTP: command responses carry X-Log-Position; a query that
// sends it back as X-Min-Log-Position is answered only once its read models caught up.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { formatPosition, parsePosition, type Position } from '../eventstore/port.js';
import { waitForPosition, type FreshnessSource } from '../queries/freshness.js';
import { sendProblem } from './problems.js';

export const LOG_POSITION = 'x-log-position';
export const MIN_LOG_POSITION = 'x-min-log-position';

export const withPosition = (reply: FastifyReply, position: Position): FastifyReply =>
  reply.header(LOG_POSITION, formatPosition(position));

export function freshness(source: FreshnessSource, waitMs: number) {
  return (...projections: string[]): preHandlerAsyncHookHandler =>
    async function waitForReadModels(req: FastifyRequest, reply: FastifyReply) {
      const header = req.headers[MIN_LOG_POSITION];
      if (header === undefined) return;
      const position = typeof header === 'string' ? parsePosition(header) : null;
      if (!position) {
        await sendProblem(req, reply, 400, 'invalid-log-position', `${MIN_LOG_POSITION} must be a position returned in ${LOG_POSITION}.`);
        return;
      }
      if (!(await waitForPosition(source, projections, position, waitMs))) {
        reply.header('retry-after', '1');
        await sendProblem(req, reply, 503, 'read-model-behind', `The read model has not reached ${header} yet; retry shortly.`);
      }
    };
}
