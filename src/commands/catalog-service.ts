// Catalog commands: categories (with their name reservations) and the location tree,
// decided from the category, category-name, location and tenant streams alone.
import { normalizeCategoryName, streams } from '../events/streams.js';
import type { EventStore } from '../eventstore/port.js';
import { category, categoryName, type CategoryCommand } from './category.js';
import { newId, type CommandContext } from './context.js';
import { DomainError } from './errors.js';
import { handlerFor, type Handled } from './handler.js';
import type { Written } from './inventory-service.js';
import { location, type LocationCommand, type ParentLocation } from './location.js';
import { tenant } from './tenant.js';

/** The client's If-Match as a revision; null when it sent none (or `*`). */
export type Precondition = number | null;

type LocationRevision = Extract<LocationCommand, { type: 'ReviseLocation' }>['data'];

export function createCatalogCommands(store: EventStore) {
  const handlers = {
    tenant: handlerFor(store, tenant),
    category: handlerFor(store, category),
    categoryName: handlerFor(store, categoryName),
    location: handlerFor(store, location),
  };

  // A command that changed nothing (a rename to the same name, a second archive)
  // answers with the position of the stream's last event: reading at it shows the
  // state the answer describes.
  async function written(id: string, stream: string, handled: Handled<unknown> | null): Promise<Written> {
    if (handled?.position) return { id, revision: handled.revision, position: handled.position };
    const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    if (!last) throw new DomainError('not-found');
    return { id, revision: last.revision, position: last.position };
  }

  /**
   * Claims a category name. A claim left by an archived category is stale (archiving
   * releases it; a crash between the two steps may not have) and is taken over.
   */
  async function claimName(ctx: CommandContext, name: string, categoryId: string): Promise<void> {
    const stream = streams.categoryName(ctx.tenantId, name);
    const claim = (supersedes?: string) =>
      handlers.categoryName.handle(stream, { type: 'ReserveCategoryName', data: { name, categoryId, ...(supersedes ? { supersedes } : {}) } }, ctx);
    try {
      await claim();
    } catch (error) {
      const holder = error instanceof DomainError && error.code === 'category-name-taken' ? String(error.details.categoryId) : null;
      if (!holder) throw error;
      const { state } = await handlers.category.load(streams.category(ctx.tenantId, holder));
      if (state.status !== 'archived') throw error;
      await claim(holder);
    }
  }

  const releaseName = (ctx: CommandContext, name: string, categoryId: string) =>
    handlers.categoryName.handle(streams.categoryName(ctx.tenantId, name), { type: 'ReleaseCategoryName', data: { categoryId } }, ctx);

  // The walk reads each ancestor's stream as it is now (load, not the settled cache):
  // a move decided on a stale tree could close a cycle.
  async function parentLocation(tenantId: string, parentId: string): Promise<ParentLocation> {
    const { state } = await handlers.location.load(streams.location(tenantId, parentId));
    const ancestorIds: string[] = [];
    let next = state.status === 'none' ? null : state.parentId;
    // The visited check only guards against a log already holding a cycle (see moves below).
    while (next !== null && next !== parentId && !ancestorIds.includes(next)) {
      ancestorIds.push(next);
      const { state: ancestor } = await handlers.location.load(streams.location(tenantId, next));
      next = ancestor.status === 'none' ? null : ancestor.parentId;
    }
    return { locationId: parentId, status: state.status, ancestorIds };
  }

  // Moves in one tenant are decided one at a time: two moves that are each fine alone
  // (A under B, B under A) must not both pass the walk. Each move appends to its own
  // stream, so the store cannot order them; within a process this queue does.
  // Across API instances the race remains (README: "Categories and locations").
  const treeQueues = new Map<string, Promise<unknown>>();
  function serialized<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const previous = treeQueues.get(tenantId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    treeQueues.set(tenantId, settled);
    void settled.then(() => {
      if (treeQueues.get(tenantId) === settled) treeQueues.delete(tenantId);
    });
    return run;
  }

  async function reviseLocation(ctx: CommandContext, locationId: string, data: LocationRevision): Promise<Written> {
    const stream = streams.location(ctx.tenantId, locationId);
    return written(locationId, stream, await handlers.location.handle(stream, { type: 'ReviseLocation', data }, ctx));
  }

  /** PATCH: a rename and a move together, one If-Match, one append. */
  async function updateLocation(
    ctx: CommandContext,
    locationId: string,
    change: { name?: string; parentId?: string | null },
    expectedRevision: Precondition,
  ): Promise<Written> {
    const { name, parentId } = change;
    if (parentId === undefined) return reviseLocation(ctx, locationId, { ...(name !== undefined ? { name } : {}), expectedRevision });
    return serialized(ctx.tenantId, async () => {
      const parent = parentId === null ? undefined : await parentLocation(ctx.tenantId, parentId);
      const move = { parentId, ...(parent ? { parent } : {}) };
      return reviseLocation(ctx, locationId, { ...(name !== undefined ? { name } : {}), move, expectedRevision });
    });
  }

  return {
    async createCategory(ctx: CommandContext, input: { name: string; parentId: string | null }): Promise<Written> {
      const categoryId = newId();
      const parent = input.parentId
        ? { categoryId: input.parentId, status: (await handlers.category.load(streams.category(ctx.tenantId, input.parentId))).state.status }
        : undefined;
      const command: CategoryCommand = { type: 'CreateCategory', data: { categoryId, ...input, ...(parent ? { parent } : {}) } };
      // Decided once before the name is claimed, so a rejected create appends nothing.
      category.decide(command, category.initialState);
      await claimName(ctx, input.name, categoryId);
      const created = await handlers.category.handle(streams.category(ctx.tenantId, categoryId), command, ctx);
      return { id: categoryId, revision: created.revision, position: created.position! };
    },

    async renameCategory(ctx: CommandContext, categoryId: string, name: string, expectedRevision: Precondition): Promise<Written> {
      const stream = streams.category(ctx.tenantId, categoryId);
      const command: CategoryCommand = { type: 'RenameCategory', data: { name, expectedRevision } };
      const { state } = await handlers.category.load(stream);
      // Rejections (unknown, If-Match, archived) and no-ops come before any claim.
      if (category.decide(command, state).length === 0 || state.status === 'none') return written(categoryId, stream, null);
      const sameName = normalizeCategoryName(name) === normalizeCategoryName(state.name);
      if (!sameName) await claimName(ctx, name, categoryId);
      let renamed: Handled<unknown>;
      try {
        renamed = await handlers.category.handle(stream, command, ctx);
      } catch (error) {
        // The category changed meanwhile (If-Match, archived): give the new name back.
        if (!sameName) await releaseName(ctx, name, categoryId);
        throw error;
      }
      if (!sameName) await releaseName(ctx, state.name, categoryId);
      return written(categoryId, stream, renamed);
    },

    async archiveCategory(ctx: CommandContext, categoryId: string, expectedRevision: Precondition): Promise<Written> {
      const stream = streams.category(ctx.tenantId, categoryId);
      const archived = await handlers.category.handle(stream, { type: 'ArchiveCategory', data: { expectedRevision } }, ctx);
      // Also after a repeated archive: that finishes one a crash interrupted.
      if (archived.state.status !== 'none') await releaseName(ctx, archived.state.name, categoryId);
      return written(categoryId, stream, archived);
    },

    async createLocation(ctx: CommandContext, input: { name: string; parentId: string | null }): Promise<Written> {
      const locationId = newId();
      const parent = input.parentId ? await parentLocation(ctx.tenantId, input.parentId) : undefined;
      const created = await handlers.location.handle(
        streams.location(ctx.tenantId, locationId),
        { type: 'CreateLocation', data: { locationId, ...input, ...(parent ? { parent } : {}) } },
        ctx,
      );
      return { id: locationId, revision: created.revision, position: created.position! };
    },

    renameLocation: (ctx: CommandContext, locationId: string, name: string, expectedRevision: Precondition) =>
      reviseLocation(ctx, locationId, { name, expectedRevision }),

    moveLocation: (ctx: CommandContext, locationId: string, parentId: string | null, expectedRevision: Precondition) =>
      updateLocation(ctx, locationId, { parentId }, expectedRevision),

    updateLocation,

    async archiveLocation(ctx: CommandContext, locationId: string, expectedRevision: Precondition): Promise<Written> {
      const { state: company } = await handlers.tenant.loadSettled(streams.tenant(ctx.tenantId));
      const isDefault = company.status !== 'none' && company.defaultLocationId === locationId;
      const stream = streams.location(ctx.tenantId, locationId);
      const archived = await handlers.location.handle(stream, { type: 'ArchiveLocation', data: { isDefault, expectedRevision } }, ctx);
      return written(locationId, stream, archived);
    },
  };
}
