// Category reads: the list with search, filters, sort and pages, and one category.
import type { Selectable } from 'kysely';
import type { CategoriesTable } from '../projections/schema.js';
import { containing, type ListParams, type Page } from './page.js';
import type { TenantScope } from './scope.js';

export const categorySortFields = { name: 'name', createdAt: 'created_at' } as const;
export type CategorySortField = keyof typeof categorySortFields;

export interface CategoryListParams extends ListParams<CategorySortField> {
  parentId?: string | undefined;
}

export interface CategoryView {
  id: string;
  name: string;
  parentId: string | null;
  archived: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** `%term%` for ILIKE, with the user's own wildcards taken literally. */

export async function listCategories(scope: TenantScope, params: CategoryListParams): Promise<Page<CategoryView>> {
  let query = scope.selectFrom('categories').where('archived', '=', params.archived);
  if (params.search) query = query.where('name', 'ilike', containing(params.search));
  if (params.parentId) query = query.where('parent_id', '=', params.parentId);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  let page = query.selectAll();
  const sort = params.sort.length > 0 ? params.sort : [{ field: 'name', direction: 'asc' } as const];
  for (const { field, direction } of sort) page = page.orderBy(categorySortFields[field], direction);
  const rows = await page
    .orderBy('id')
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute();
  return { items: rows.map(toView), total: Number(total), page: params.page, pageSize: params.pageSize };
}

export async function getCategory(scope: TenantScope, id: string): Promise<CategoryView | null> {
  const row = await scope.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toView(row) : null;
}

const toView = (row: Selectable<CategoriesTable>): CategoryView => ({
  id: row.id,
  name: row.name,
  parentId: row.parent_id,
  archived: row.archived,
  revision: row.revision,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});
