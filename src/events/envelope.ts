// What every event carries and how one is defined: `event(type, schema)` gives the
// schema that validates on append and on read, the inferred type, and the upcasters
// that lift older stored shapes to the current one (the log itself is never rewritten).
import { z } from 'zod';

export const EventMetadata = z.object({
  tenantId: z.string().min(1),
  /** A user id, or `system:<name>` for the system's own actions. */
  actorId: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  schemaVersion: z.number().int().positive(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
});
export type EventMetadata = z.infer<typeof EventMetadata>;

/** Lifts the data of version `n` to version `n + 1`. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

export interface EventDefinition<T extends string, S extends z.ZodType> {
  readonly type: T;
  readonly schema: S;
  /** The current schema version; stored events of older versions are upcast on read. */
  readonly version: number;
  /** `upcasters[n]` lifts version n to n + 1. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  of(data: z.input<S>): { type: T; data: z.output<S> };
}

export function event<T extends string, S extends z.ZodType>(
  type: T,
  schema: S,
  options: { version?: number; upcasters?: Record<number, Upcaster> } = {},
): EventDefinition<T, S> {
  return {
    type,
    schema,
    version: options.version ?? 1,
    upcasters: options.upcasters ?? {},
    of: (data) => ({ type, data: schema.parse(data) }),
  };
}

export type AnyEventDefinition = EventDefinition<string, z.ZodType>;

export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { type: T; data: z.output<S> } : never;
