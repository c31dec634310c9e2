// The locations read model: the tree with a materialized path per row, so a subtree
// (for listings and stock roll-ups) is one prefix match instead of a recursive walk.
import { sql, type Transaction } from 'kysely';
import type { Stored } from '../events/index.js';
import { projection } from './projection.js';
import type { Database } from './schema.js';

const changed = (e: Stored) => ({ revision: Number(e.revision), updated_at: e.metadata.occurredAt });

async function placeOf(tx: Transaction<Database>, tenantId: string, id: string) {
  return tx
    .selectFrom('locations')
    .select(['path', 'depth'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Where a child of `parentId` goes: under the parent's path, or a root of its own. */
async function under(tx: Transaction<Database>, tenantId: string, parentId: string | null, id: string) {
  const parent = parentId === null ? undefined : await placeOf(tx, tenantId, parentId);
  return parent ? { path: `${parent.path}${id}/`, depth: parent.depth + 1 } : { path: `/${id}/`, depth: 0 };
}

export const locations = projection('locations', ['locations'], {
  LocationCreated: async (e, tx) => {
    const { path, depth } = await under(tx, e.metadata.tenantId, e.data.parentId, e.data.locationId);
    await tx
      .insertInto('locations')
      .values({
        id: e.data.locationId,
        tenant_id: e.metadata.tenantId,
        name: e.data.name,
        parent_id: e.data.parentId,
        path,
        depth,
        archived: false,
        created_at: e.metadata.occurredAt,
        ...changed(e),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  },

  LocationRenamed: (e, tx) =>
    tx
      .updateTable('locations')
      .set({ name: e.data.name, ...changed(e) })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('id', '=', e.data.locationId)
      .execute(),

  // The moved location and its whole subtree take the new prefix. Applying the same move
  // twice finds the path already new and rewrites nothing.
  LocationMoved: async (e, tx) => {
    const { tenantId } = e.metadata;
    const id = e.data.locationId;
    const current = await placeOf(tx, tenantId, id);
    if (!current) return;
    const next = await under(tx, tenantId, e.data.parentId, id);
    // A parent inside the mover's own subtree means the log holds a cycle (only two
    // instances racing moves can write one): keep the last acyclic paths rather than
    // nest the subtree inside itself.
    const cyclic = next.path.startsWith(current.path);
    if (!cyclic && next.path !== current.path) {
      await tx
        .updateTable('locations')
        .set((eb) => ({
          path: sql<string>`${next.path} || substr(${eb.ref('path')}, ${current.path.length + 1})`,
          depth: eb('depth', '+', next.depth - current.depth),
        }))
        .where('tenant_id', '=', tenantId)
        .where('path', 'like', `${current.path}%`)
        .execute();
    }
    await tx
      .updateTable('locations')
      .set({ parent_id: e.data.parentId, ...changed(e) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  },

  LocationArchived: (e, tx) =>
    tx
      .updateTable('locations')
      .set({ archived: true, ...changed(e) })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('id', '=', e.data.locationId)
      .execute(),
});
