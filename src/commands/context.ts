// Who asks, on whose behalf, and why: becomes every event's metadata.
import { v7 as uuidv7 } from 'uuid';
import type { MetadataInput } from '../events/index.js';

export interface CommandContext {
  readonly tenantId: string;
  /** A user id, or `system:<name>`. */
  readonly actorId: string;
  readonly correlationId: string;
  /** The id of what caused this command: a request id, or the event a reactor handles. */
  readonly causationId: string;
  readonly now: Date;
  readonly ip?: string;
  readonly userAgent?: string;
}

export const metadataOf = (ctx: CommandContext): MetadataInput => ({
  tenantId: ctx.tenantId,
  actorId: ctx.actorId,
  correlationId: ctx.correlationId,
  causationId: ctx.causationId,
  occurredAt: ctx.now.toISOString(),
  ...(ctx.ip ? { ip: ctx.ip } : {}),
  ...(ctx.userAgent ? { userAgent: ctx.userAgent } : {}),
});

export const newId = (): string => uuidv7();
