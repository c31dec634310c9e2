// The categories read model: one row per category, archived ones kept (history and
// products still point at them).
import type { Stored } from '../events/index.js';
import { projection } from './projection.js';

const changed = (e: Stored) => ({ revision: Number(e.revision), updated_at: e.metadata.occurredAt });

export const categories = projection('categories', ['categories'], {
  CategoryCreated: (e, tx) =>
    tx
      .insertInto('categories')
      .values({
        id: e.data.categoryId,
        tenant_id: e.metadata.tenantId,
        name: e.data.name,
        parent_id: e.data.parentId,
        archived: false,
        created_at: e.metadata.occurredAt,
        ...changed(e),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  CategoryRenamed: (e, tx) =>
    tx
      .updateTable('categories')
      .set({ name: e.data.name, ...changed(e) })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('id', '=', e.data.categoryId)
      .execute(),
  CategoryArchived: (e, tx) =>
    tx
      .updateTable('categories')
      .set({ archived: true, ...changed(e) })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('id', '=', e.data.categoryId)
      .execute(),
});
