// The location aggregate: one place where stock is kept, a node of the tenant's tree.
// What the tree around it looks like (the parent and its ancestors) is read from their
// streams by the service and handed in, so every rule here stays pure.
import { LocationArchived, LocationCreated, LocationMoved, LocationRenamed, type LocationEvent } from '../events/location.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';

/** A would-be parent as its stream stands, with its ancestors nearest first. */
export interface ParentLocation {
  readonly locationId: string;
  readonly status: LocationState['status'];
  readonly ancestorIds: readonly string[];
}

/** `expectedRevision` is the client's If-Match (null or absent: no precondition). */
export type LocationCommand =
  | {
      type: 'CreateLocation';
      data: { locationId: string; name: string; parentId: string | null; parent?: ParentLocation };
    }
  | {
      /** A rename, a move or both, decided and appended together (one PATCH, one revision check). */
      type: 'ReviseLocation';
      data: {
        name?: string;
        move?: { parentId: string | null; parent?: ParentLocation };
        expectedRevision?: number | null;
      };
    }
  | { type: 'ArchiveLocation'; data: { isDefault: boolean; expectedRevision?: number | null } };

export type LocationState =
  | { status: 'none' }
  | {
      status: 'active' | 'archived';
      locationId: string;
      name: string;
      parentId: string | null;
      /** The stream revision folded to: If-Match is checked in the decision (see category.ts). */
      revision: number;
    };

type Existing = Exclude<LocationState, { status: 'none' }>;

function existing(s: LocationState, expectedRevision: number | null | undefined): Existing {
  if (s.status === 'none') throw new DomainError('not-found');
  if (expectedRevision != null && expectedRevision !== s.revision) throw new DomainError('precondition-failed', { revision: s.revision });
  return s;
}

/** A parent must exist in the tenant, be active, and (for a move) not lie below the mover. */
function checkParent(parentId: string, parent: ParentLocation | undefined, mover?: string): void {
  if (parent?.locationId !== parentId || parent.status === 'none') throw new DomainError('unknown-location', { locationId: parentId });
  if (mover !== undefined && (parentId === mover || parent.ancestorIds.includes(mover)))
    throw new DomainError('location-cycle', { locationId: mover, parentId });
  if (parent.status === 'archived') throw new DomainError('parent-archived', { parentId });
}

export const location: Decider<LocationCommand, LocationEvent, LocationState> = {
  initialState: { status: 'none' },
  evolve: (s, e) => {
    if (e.type === 'LocationCreated') return { status: 'active', ...e.data, revision: 0 };
    if (s.status === 'none') return s;
    const revision = s.revision + 1;
    switch (e.type) {
      case 'LocationRenamed':
        return { ...s, name: e.data.name, revision };
      case 'LocationMoved':
        return { ...s, parentId: e.data.parentId, revision };
      case 'LocationArchived':
        return { ...s, status: 'archived', revision };
    }
  },
  decide: (cmd, s) => {
    switch (cmd.type) {
      case 'CreateLocation': {
        if (s.status !== 'none') throw new DomainError('already-exists');
        const { parent, ...data } = cmd.data;
        if (data.parentId !== null) checkParent(data.parentId, parent);
        return [LocationCreated.of(data)];
      }
      case 'ReviseLocation': {
        const l = existing(s, cmd.data.expectedRevision);
        if (l.status === 'archived') throw new DomainError('location-archived');
        const { name, move } = cmd.data;
        const events: LocationEvent[] = [];
        if (name !== undefined && name !== l.name) events.push(LocationRenamed.of({ locationId: l.locationId, name }));
        if (move !== undefined && move.parentId !== l.parentId) {
          if (move.parentId !== null) checkParent(move.parentId, move.parent, l.locationId);
          events.push(LocationMoved.of({ locationId: l.locationId, parentId: move.parentId, previousParentId: l.parentId }));
        }
        return events;
      }
      case 'ArchiveLocation': {
        const l = existing(s, cmd.data.expectedRevision);
        if (l.status === 'archived') return [];
        if (cmd.data.isDefault) throw new DomainError('location-is-default');
        return [LocationArchived.of({ locationId: l.locationId })];
      }
    }
  },
};
