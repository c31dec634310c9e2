// The location aggregate's events. Locations form a tree per tenant: a move names the
// new parent (null: a root) and the one it left, so the log alone tells where it was.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { Id } from './values.js';

export const LocationCreated = event(
  'LocationCreated',
  z.object({ locationId: Id, name: z.string().min(1), parentId: Id.nullable() }),
);
export const LocationRenamed = event('LocationRenamed', z.object({ locationId: Id, name: z.string().min(1) }));
export const LocationMoved = event(
  'LocationMoved',
  z.object({ locationId: Id, parentId: Id.nullable(), previousParentId: Id.nullable() }),
);
/** Archived, not deleted: stock records and history keep pointing at it. */
export const LocationArchived = event('LocationArchived', z.object({ locationId: Id }));

export const locationEvents = [LocationCreated, LocationRenamed, LocationMoved, LocationArchived] as const;
export type LocationEvent = EventOf<(typeof locationEvents)[number]>;
