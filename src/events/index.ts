// The event registry and codec: every event type of the log, typed envelopes, and the
// translation to and from the port's plain JSON (validated both ways, upcast on read).
import type { EventToAppend, Position, RecordedEvent } from '../eventstore/port.js';
import { categoryEvents, categoryNameEvents } from './category.js';
import { customerEvents } from './customer.js';
import { EventMetadata, type AnyEventDefinition, type EventOf } from './envelope.js';
import { emailReservationEvents, userEvents } from './identity.js';
import { invitationEvents } from './invitation.js';
import { locationEvents } from './location.js';
import { productEvents, skuReservationEvents } from './product.js';
import { saleEvents } from './sale.js';
import { sessionEvents } from './session.js';
import { tenantEvents } from './tenant.js';

const definitions = [
  ...tenantEvents,
  ...userEvents,
  ...emailReservationEvents,
  ...sessionEvents,
  ...invitationEvents,
  ...locationEvents,
  ...categoryEvents,
  ...categoryNameEvents,
  ...productEvents,
  ...skuReservationEvents,
  ...customerEvents,
  ...saleEvents,
] as const;

export type DomainEvent = EventOf<(typeof definitions)[number]>;
export type EventType = DomainEvent['type'];

const registry = new Map<string, AnyEventDefinition>(definitions.map((d) => [d.type, d]));

/** A domain event as it stands in the log. */
export type Stored<E extends DomainEvent = DomainEvent> = E & {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly metadata: EventMetadata;
};

/** Metadata the caller provides; the schema version is the event definition's. */
export type MetadataInput = Omit<EventMetadata, 'schemaVersion'>;

export function encode(event: DomainEvent, id: string, metadata: MetadataInput): EventToAppend {
  const definition = registry.get(event.type)!;
  return {
    id,
    type: event.type,
    data: definition.schema.parse(event.data),
    metadata: EventMetadata.parse({ ...metadata, schemaVersion: definition.version }),
  };
}

/**
 * A stored event as the current schema sees it, or null for a type this code does not
 * know (another system's or a store's own events). A known type that does not parse
 * throws: that is a bug or a corrupted log, never something to skip silently.
 */
export function decode(recorded: RecordedEvent): Stored | null {
  const definition = registry.get(recorded.type);
  if (!definition) return null;
  const metadata = EventMetadata.parse(recorded.metadata);
  let data = recorded.data as Record<string, unknown>;
  for (let v = metadata.schemaVersion; v < definition.version; v++) {
    const upcast = definition.upcasters[v];
    if (!upcast) throw new Error(`${recorded.type}: no upcaster from schema version ${v}`);
    data = upcast(data);
  }
  return {
    id: recorded.id,
    stream: recorded.stream,
    revision: recorded.revision,
    position: recorded.position,
    type: recorded.type,
    data: definition.schema.parse(data),
    metadata: { ...metadata, schemaVersion: definition.version },
  } as Stored;
}

export const knownEventTypes = (): string[] => [...registry.keys()];
