// Every error leaves as application/problem+json (RFC 9457) with a stable `type`.
// Domain error codes map to HTTP here and nowhere else; unexpected errors are logged
// with the request id and answered without internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { DomainError, type DomainErrorCode } from '../commands/index.js';
import { isConnectionError } from '../database.js';
import { StoreUnavailable } from '../eventstore/port.js';

const domainStatus: Record<DomainErrorCode, number> = {
  'not-found': 404,
  'already-exists': 409,
  'email-taken': 409,
  'sku-taken': 409,
  'invalid-credentials': 401,
  'email-already-verified': 409,
  'invalid-code': 400,
  'invalid-reset-token': 400,
  'invalid-refresh-token': 401,
  'refresh-token-reused': 401,
  'invalid-invitation': 400,
  'invitation-accepted': 409,
  'invalid-role': 422,
  'wrong-password': 422,
  'forbidden': 403,
  'user-deactivated': 409,
  'too-many-requests': 429,
  'unknown-location': 422,
  'invalid-quantity': 422,
  'product-archived': 409,
  'product-has-stock': 409,
  'insufficient-stock': 409,
  'same-location': 422,
  'unknown-transfer': 404,
  'transfer-exceeded': 422,
  'lot-expiry-mismatch': 422,
  'expiry-required': 422,
  'precondition-failed': 412,
  'invalid-import': 422,
  'sale-not-completed': 409,
  'unknown-customer': 422,
  'return-exceeds-sale': 422,
  'category-name-taken': 409,
  'unknown-category': 422,
  'category-archived': 409,
  'location-archived': 409,
  'parent-archived': 422,
  'location-cycle': 422,
  'location-is-default': 422,
  'customer-archived': 409,
  'unknown-address': 404,
  'concurrent-change': 409,
};

const domainDetail: Record<DomainErrorCode, string> = {
  'not-found': 'No such resource.',
  'already-exists': 'The resource already exists.',
  'email-taken': 'An account with this email already exists.',
  'sku-taken': 'Another product already has this SKU.',
  'invalid-credentials': 'The email or password is wrong.',
  'email-already-verified': 'This email address is already verified.',
  'invalid-code': 'The code is wrong or has expired. Ask for a new one if needed.',
  'invalid-reset-token': 'The reset token is wrong, used or expired. Start the reset again.',
  'invalid-refresh-token': 'The refresh token is not valid (expired, revoked or unknown). Sign in again.',
  'refresh-token-reused': 'This refresh token was already used once. The session has been ended for safety; sign in again.',
  'invalid-invitation': 'The invitation code is wrong, used, revoked or expired, or was sent to another email address.',
  'invitation-accepted': 'The invitation was already accepted.',
  'invalid-role': 'This role cannot be given this way.',
  'wrong-password': 'The current password is wrong.',
  'forbidden': 'You are not allowed to do this.',
  'user-deactivated': 'The user is deactivated.',
  'too-many-requests': 'Too many requests; wait before trying again.',
  'unknown-location': 'No such location.',
  'invalid-quantity': 'The quantity must be greater than zero.',
  'product-archived': 'The product is archived.',
  'product-has-stock': 'The product still holds stock; write it off or move it first.',
  'insufficient-stock': 'Not enough stock.',
  'same-location': 'A transfer needs two different locations.',
  'unknown-transfer': 'No such transfer in transit for this product.',
  'transfer-exceeded': 'More than what is still in transit.',
  'lot-expiry-mismatch': 'This lot was received with another expiry date.',
  'expiry-required': 'This product tracks expiry: the receipt needs expiresOn.',
  'precondition-failed': 'The resource changed since you read it (If-Match).',
  'invalid-import': 'The file has invalid rows; nothing was imported.',
  'sale-not-completed': 'Only a completed sale can be returned or voided.',
  'unknown-customer': 'No such customer (or it is archived).',
  'return-exceeds-sale': 'More than was sold and not yet returned.',
  'category-name-taken': 'Another category already has this name.',
  'unknown-category': 'No such category.',
  'category-archived': 'The category is archived.',
  'location-archived': 'The location is archived.',
  'parent-archived': 'The parent is archived; choose an active one.',
  'location-cycle': 'A location cannot be moved under itself or one of its own sub-locations.',
  'location-is-default': "The company's default location cannot be archived.",
  'customer-archived': 'The customer is archived.',
  'unknown-address': 'The customer has no such address.',
  'concurrent-change': 'The resource was changed concurrently; retry.',
};

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ in: z.string(), field: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export const problemType = (slug: string) => `https://stockbook.dev/problems/${slug}`;

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  slug: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  const body: Problem = {
    type: problemType(slug),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: req.url,
    requestId: req.id,
    ...extra,
  };
  return reply.code(status).type('application/problem+json').send(body);
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, 404, 'route-not-found', `No route ${req.method} ${req.url}.`));

  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof DomainError) {
      if (typeof error.details.retryAfter === 'number') reply.header('retry-after', String(error.details.retryAfter));
      return sendProblem(req, reply, domainStatus[error.code], error.code, domainDetail[error.code], error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        in: error.validationContext ?? 'request',
        field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)',
        message: v.message ?? 'is invalid',
      }));
      return sendProblem(req, reply, 400, 'validation', 'The request is not valid.', { errors });
    }
    if (error instanceof StoreUnavailable || isConnectionError(error)) {
      req.log.error({ err: error }, 'dependency unavailable');
      reply.header('retry-after', '1');
      return sendProblem(req, reply, 503, 'unavailable', 'A backing service is unavailable; retry shortly.');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendProblem(req, reply, status, slugOf(error), error.message);
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendProblem(req, reply, 500, 'internal', 'Something went wrong on our side. Quote the request id if you report it.');
  });
}

// Fastify's own client errors (bad JSON, body too large, wrong content type, …).
const slugOf = (error: FastifyError): string =>
  (
    {
      FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
      FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-content-length',
      FST_RATE_LIMITED: 'rate-limited',
    } as Record<string, string>
  )[error.code] ?? 'bad-request';
