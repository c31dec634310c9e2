// A projection: a name, the tables it owns, and for each event type it cares about a
// handler that turns the event into writes. The runner owns batching, transactions,
// checkpoints and retries; handlers must be deterministic and idempotent per event.
import type { Transaction } from 'kysely';
import type { DomainEvent, EventType, Stored } from '../events/index.js';
import type { Database } from './schema.js';

export type Handler<T extends EventType> = (
  event: Stored<Extract<DomainEvent, { type: T }>>,
  tx: Transaction<Database>,
) => Promise<unknown>;

export type Handlers = { [T in EventType]?: Handler<T> };

export interface Projection {
  readonly name: string;
  /** Tables this projection writes and nobody else does: what a rebuild clears. */
  readonly tables: readonly (keyof Database)[];
  readonly handlers: Handlers;
}

export const projection = (name: string, tables: readonly (keyof Database)[], handlers: Handlers): Projection => ({
  name,
  tables,
  handlers,
});

export async function apply(p: Projection, event: Stored, tx: Transaction<Database>): Promise<void> {
  const handler = p.handlers[event.type] as Handler<EventType> | undefined;
  await handler?.(event as Stored<Extract<DomainEvent, { type: EventType }>>, tx);
}

export const eventTypesOf = (p: Projection): string[] => Object.keys(p.handlers);
