// Location reads: the tree as a list, and one location with its ancestors and the
// stock it holds, on its own and rolled up over everything below it.
import { sql, type Selectable } from 'kysely';
import { decimal, money, quantityNumber } from '../events/values.js';
import type { LocationsTable } from '../projections/schema.js';
import { containing, type Page } from './page.js';
import type { TenantScope } from './scope.js';

/** `path` is tree order: parents before children, siblings by creation (ids are UUIDv7). */
export const locationSortFields = { name: 'name', createdAt: 'created_at', path: 'path' } as const;
export type LocationSortField = keyof typeof locationSortFields;

export interface LocationListParams {
  page: number;
  pageSize: number;
  search?: string | undefined;
  sort: readonly { field: LocationSortField; direction: 'asc' | 'desc' }[];
  archived: boolean;
  /** A location's id for its children; 'root' for the locations without a parent. */
  parentId?: string | undefined;
}

export interface LocationView {
  id: string;
  name: string;
  parentId: string | null;
  /** Root first, this location excluded. */
  ancestorIds: string[];
  depth: number;
  archived: boolean;
  isDefault: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

interface StockFigures {
  quantity: number;
  value: string;
}

export interface LocationDetail extends LocationView {
  ancestors: { id: string; name: string }[];
  stock: StockFigures & {
    /** Stock kept at this location itself (not below it). */
    here: StockFigures;
    /** How many products have stock here or below. */
    productCount: number;
    /** The largest holdings first, at most PRODUCT_LIMIT of them. */
    products: { productId: string; sku: string; name: string; quantity: number; quantityHere: number; value: string }[];
  };
}

/** A detail view, not an export: a warehouse of 100k SKUs must not answer with all of them. */
export const PRODUCT_LIMIT = 100;

export async function listLocations(scope: TenantScope, params: LocationListParams): Promise<Page<LocationView>> {
  let query = scope.selectFrom('locations').where('archived', '=', params.archived);
  if (params.search) query = query.where('name', 'ilike', containing(params.search));
  if (params.parentId === 'root') query = query.where('parent_id', 'is', null);
  else if (params.parentId) query = query.where('parent_id', '=', params.parentId);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  let page = query.selectAll();
  const sort = params.sort.length > 0 ? params.sort : [{ field: 'path', direction: 'asc' } as const];
  for (const { field, direction } of sort) page = page.orderBy(locationSortFields[field], direction);
  const rows = await page
    .orderBy('id')
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute();
  const defaultId = await defaultLocationId(scope);
  return { items: rows.map((r) => toView(r, defaultId)), total: Number(total), page: params.page, pageSize: params.pageSize };
}

export async function getLocation(scope: TenantScope, id: string): Promise<LocationDetail | null> {
  const row = await scope.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const view = toView(row, await defaultLocationId(scope));
  const named =
    view.ancestorIds.length === 0
      ? []
      : await scope.selectFrom('locations').select(['id', 'name']).where('id', 'in', view.ancestorIds).execute();
  const ancestors = view.ancestorIds.map((a) => ({ id: a, name: named.find((n) => n.id === a)?.name ?? '' }));
  return { ...view, ancestors, stock: await rolledUpStock(scope, row.id, row.path) };
}

// Stock of the subtree per product, valued at each product's moving average cost.
// Every query goes through the scope; the derived table `s` has no tenant_id of its
// own, so the scope's filter on the outer query is unambiguously the product's.
async function rolledUpStock(scope: TenantScope, id: string, path: string): Promise<LocationDetail['stock']> {
  const subtree = scope.selectFrom('locations').select('id').where('path', 'like', `${path}%`);
  const perProduct = scope
    .selectFrom('product_stock')
    .where('location_id', 'in', subtree)
    .select((eb) => [
      'product_id',
      eb.fn.sum<string>('quantity').as('quantity'),
      eb.fn
        .sum<string>(eb.case().when('location_id', '=', id).then(eb.ref('quantity')).else(sql<string>`0`).end())
        .as('quantity_here'),
    ])
    .groupBy('product_id')
    .having((eb) => eb.fn.sum('quantity'), '<>', 0)
    .as('s');
  const held = scope.selectFrom('products').innerJoin(perProduct, 's.product_id', 'products.id');

  const totals = await held
    .select((eb) => [
      eb.fn.countAll<number>().as('products'),
      eb.fn.sum<string>('s.quantity').as('quantity'),
      eb.fn.sum<string>(eb('s.quantity', '*', eb.ref('products.average_cost'))).as('value'),
      eb.fn.sum<string>('s.quantity_here').as('quantity_here'),
      eb.fn.sum<string>(eb('s.quantity_here', '*', eb.ref('products.average_cost'))).as('value_here'),
    ])
    .executeTakeFirstOrThrow();
  const top = await held
    .select((eb) => [
      'products.id',
      'products.sku',
      'products.name',
      's.quantity',
      's.quantity_here',
      eb('s.quantity', '*', eb.ref('products.average_cost')).as('value'),
    ])
    .orderBy('s.quantity', 'desc')
    .orderBy('products.name')
    .orderBy('products.id')
    .limit(PRODUCT_LIMIT)
    .execute();

  return {
    ...figures(totals.quantity, totals.value),
    here: figures(totals.quantity_here, totals.value_here),
    productCount: Number(totals.products),
    products: top.map((p) => ({
      productId: p.id,
      sku: p.sku,
      name: p.name,
      quantity: quantityNumber(decimal(p.quantity)),
      quantityHere: quantityNumber(decimal(p.quantity_here)),
      value: money(decimal(p.value)),
    })),
  };
}

// Sums over no rows are NULL.
const figures = (quantity: string | null, value: string | null): StockFigures => ({
  quantity: quantityNumber(decimal(quantity ?? '0')),
  value: money(decimal(value ?? '0')),
});

async function defaultLocationId(scope: TenantScope): Promise<string | null> {
  const tenant = await scope.selectFrom('tenants').select('default_location_id').executeTakeFirst();
  return tenant?.default_location_id ?? null;
}

function toView(row: Selectable<LocationsTable>, defaultId: string | null): LocationView {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    ancestorIds: row.path.split('/').filter((part) => part !== '' && part !== row.id),
    depth: row.depth,
    archived: row.archived,
    isDefault: row.id === defaultId,
    revision: row.revision,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
