// Optimistic concurrency over HTTP: ETag is the aggregate's revision; If-Match sends
// it back and the command is refused (412) if the aggregate has moved on.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../commands/index.js';

/** Documents If-Match in the OpenAPI schema of the routes that honour it. */
export const IfMatchHeaders = z.looseObject({
  'if-match': z.string().optional().describe('The ETag last read; the change is refused with 412 if the resource moved on'),
});

export const withEtag = (reply: FastifyReply, revision: number | bigint): FastifyReply => reply.header('etag', `"${revision}"`);

/** The revision in If-Match, or undefined when absent or `*`. A malformed value is a 412. */
export function ifMatch(req: FastifyRequest): bigint | undefined {
  const header = req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"(\d{1,18})"\s*$/.exec(header);
  if (!m) throw new DomainError('precondition-failed', { ifMatch: header });
  return BigInt(m[1]!);
}
