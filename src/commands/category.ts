// The category aggregate, and the reservation that keeps category names unique per
// tenant (claimed like a SKU: the write side never asks a read model what exists).
import {
  CategoryArchived,
  CategoryCreated,
  CategoryNameReleased,
  CategoryNameReserved,
  CategoryRenamed,
  type CategoryEvent,
  type CategoryNameEvent,
} from '../events/category.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';

/** What the service found on the parent's stream: the decider checks it, purely. */
export interface ParentCategory {
  readonly categoryId: string;
  readonly status: CategoryState['status'];
}

/** `expectedRevision` is the client's If-Match (null: no precondition). */
export type CategoryCommand =
  | { type: 'CreateCategory'; data: { categoryId: string; name: string; parentId: string | null; parent?: ParentCategory } }
  | { type: 'RenameCategory'; data: { name: string; expectedRevision: number | null } }
  | { type: 'ArchiveCategory'; data: { expectedRevision: number | null } };

export type CategoryState =
  | { status: 'none' }
  | {
      status: 'active' | 'archived';
      categoryId: string;
      name: string;
      parentId: string | null;
      /**
       * The stream revision this state was folded to (every event of a category stream
       * is a category event), so If-Match is checked inside the decision: a write that
       * lands between the check and the append makes the append conflict, the handler
       * re-decides on the new state, and the precondition fails as it should.
       */
      revision: number;
    };

type Existing = Exclude<CategoryState, { status: 'none' }>;

function existing(s: CategoryState, expectedRevision: number | null): Existing {
  if (s.status === 'none') throw new DomainError('not-found');
  if (expectedRevision !== null && expectedRevision !== s.revision) throw new DomainError('precondition-failed', { revision: s.revision });
  return s;
}

export const category: Decider<CategoryCommand, CategoryEvent, CategoryState> = {
  initialState: { status: 'none' },
  evolve: (s, e) => {
    if (e.type === 'CategoryCreated') return { status: 'active', ...e.data, revision: 0 };
    if (s.status === 'none') return s;
    switch (e.type) {
      case 'CategoryRenamed':
        return { ...s, name: e.data.name, revision: s.revision + 1 };
      case 'CategoryArchived':
        return { ...s, status: 'archived', revision: s.revision + 1 };
    }
  },
  decide: (cmd, s) => {
    switch (cmd.type) {
      case 'CreateCategory': {
        if (s.status !== 'none') throw new DomainError('already-exists');
        const { parent, ...data } = cmd.data;
        if (data.parentId !== null) {
          if (parent?.categoryId !== data.parentId || parent.status === 'none')
            throw new DomainError('unknown-category', { categoryId: data.parentId });
          if (parent.status === 'archived') throw new DomainError('parent-archived', { parentId: data.parentId });
        }
        return [CategoryCreated.of(data)];
      }
      case 'RenameCategory': {
        const c = existing(s, cmd.data.expectedRevision);
        if (c.status === 'archived') throw new DomainError('category-archived');
        return cmd.data.name === c.name ? [] : [CategoryRenamed.of({ categoryId: c.categoryId, name: cmd.data.name })];
      }
      case 'ArchiveCategory': {
        const c = existing(s, cmd.data.expectedRevision);
        // Archiving twice is not an error: DELETE is idempotent, and nothing is appended.
        return c.status === 'archived' ? [] : [CategoryArchived.of({ categoryId: c.categoryId })];
      }
    }
  },
};

export type CategoryNameCommand =
  | {
      type: 'ReserveCategoryName';
      /** `supersedes`: a holder the service found archived, whose claim is stale. */
      data: { name: string; categoryId: string; supersedes?: string };
    }
  | { type: 'ReleaseCategoryName'; data: { categoryId: string } };

export type CategoryNameState = { holder: { categoryId: string; name: string } | null };

export const categoryName: Decider<CategoryNameCommand, CategoryNameEvent, CategoryNameState> = {
  initialState: { holder: null },
  evolve: (_, e) => {
    switch (e.type) {
      case 'CategoryNameReserved':
        return { holder: e.data };
      case 'CategoryNameReleased':
        return { holder: null };
    }
  },
  decide: (cmd, s) => {
    switch (cmd.type) {
      case 'ReserveCategoryName': {
        const holder = s.holder?.categoryId;
        // Claiming a name one already holds is a no-op: a retried command stays harmless.
        if (holder === cmd.data.categoryId) return [];
        if (holder !== undefined && holder !== cmd.data.supersedes)
          throw new DomainError('category-name-taken', { name: cmd.data.name, categoryId: holder });
        return [CategoryNameReserved.of({ name: cmd.data.name, categoryId: cmd.data.categoryId })];
      }
      case 'ReleaseCategoryName':
        // Only the holder releases; anyone else's release is a no-op (the name moved on).
        return s.holder?.categoryId === cmd.data.categoryId ? [CategoryNameReleased.of(s.holder)] : [];
    }
  },
};
