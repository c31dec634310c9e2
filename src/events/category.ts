// The category aggregate's events, and the per-tenant reservation of category names.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { Id } from './values.js';

const Name = z.string().min(1);

export const CategoryCreated = event('CategoryCreated', z.object({ categoryId: Id, name: Name, parentId: Id.nullable() }));
export const CategoryRenamed = event('CategoryRenamed', z.object({ categoryId: Id, name: Name }));
/** Archived, not deleted: products and history keep pointing at it. */
export const CategoryArchived = event('CategoryArchived', z.object({ categoryId: Id }));

export const CategoryNameReserved = event('CategoryNameReserved', z.object({ name: Name, categoryId: Id }));
export const CategoryNameReleased = event('CategoryNameReleased', z.object({ name: Name, categoryId: Id }));

export const categoryEvents = [CategoryCreated, CategoryRenamed, CategoryArchived] as const;
export type CategoryEvent = EventOf<(typeof categoryEvents)[number]>;
export const categoryNameEvents = [CategoryNameReserved, CategoryNameReleased] as const;
export type CategoryNameEvent = EventOf<(typeof categoryNameEvents)[number]>;
