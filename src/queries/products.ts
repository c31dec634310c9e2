// Product reads: the list with search, filters, sort and pages, and one product.
import { sql, type Selectable } from 'kysely';
import { decimal, money, quantityNumber } from '../events/values.js';
import type { ProductsTable } from '../projections/schema.js';
import { containing, type ListParams, type Page } from './page.js';
import type { TenantScope } from './scope.js';

export const productSortFields = { name: 'name', sku: 'sku', price: 'price', quantity: 'quantity', createdAt: 'created_at' } as const;
export type ProductSortField = keyof typeof productSortFields;

export interface ProductListParams extends ListParams<ProductSortField> {
  categoryId?: string | undefined;
  /** Products with stock at this location. */
  locationId?: string | undefined;
  lowStock?: boolean | undefined;
  expired?: boolean | undefined;
  /** Today in the tenant's timezone: stock expiring on or before it is expired. */
  today: string;
}

export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  categoryId: string | null;
  price: string;
  cost: string;
  unit: string;
  barcode: string | null;
  minThreshold: number;
  tracksExpiry: boolean;
  quantity: number;
  inTransit: number;
  value: string;
  averageCost: string;
  isLowStock: boolean;
  isExpired: boolean;
  archived: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

// Has stock on or before `today` still on hand (the partial index on expiring lots serves it).
const expiredStock = (today: string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM product_stock s WHERE s.product_id = products.id AND s.expires_on <= ${today}::date AND s.quantity > 0)`;

export async function listProducts(scope: TenantScope, params: ProductListParams): Promise<Page<ProductView>> {
  let query = scope.selectFrom('products').where('archived', '=', params.archived);
  if (params.search) {
    const pattern = containing(params.search);
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('sku', 'ilike', pattern), eb('barcode', 'ilike', pattern)]));
  }
  if (params.categoryId) query = query.where('category_id', '=', params.categoryId);
  if (params.lowStock !== undefined) query = query.where('is_low_stock', '=', params.lowStock);
  if (params.expired !== undefined) query = query.where(params.expired ? expiredStock(params.today) : sql<boolean>`NOT ${expiredStock(params.today)}`);
  if (params.locationId) {
    // Stock at the location or anywhere below it in the tree.
    query = query.where(
      sql<boolean>`EXISTS (SELECT 1 FROM product_stock s JOIN locations l ON l.id = s.location_id
        WHERE s.product_id = products.id AND s.quantity > 0
          AND l.path LIKE (SELECT path FROM locations WHERE id = ${params.locationId} AND tenant_id = products.tenant_id) || '%')`,
    );
  }
  const unfiltered = !params.archived && !params.search && !params.categoryId && !params.locationId && params.lowStock === undefined && params.expired === undefined;
  const total = unfiltered ? await liveProducts(scope) : (await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()).total;
  let page = query.selectAll().select(expiredStock(params.today).as('is_expired'));
  for (const { field, direction } of params.sort) page = page.orderBy(productSortFields[field], direction);
  const rows = await page
    .orderBy('id')
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute();
  return { items: rows.map(toView), total: Number(total), page: params.page, pageSize: params.pageSize };
}

// The unfiltered list's total is the maintained count, not a count over every row.
async function liveProducts(scope: TenantScope): Promise<number> {
  const row = await scope.selectFrom('inventory_totals').select('products').executeTakeFirst();
  return row?.products ?? 0;
}

export async function getProduct(scope: TenantScope, id: string, today: string): Promise<ProductView | null> {
  const row = await scope.selectFrom('products').selectAll().select(expiredStock(today).as('is_expired')).where('id', '=', id).executeTakeFirst();
  return row ? toView(row) : null;
}

function toView(row: Selectable<ProductsTable> & { is_expired: boolean }): ProductView {
  const quantity = decimal(row.quantity);
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    categoryId: row.category_id,
    price: money(decimal(row.price)),
    cost: money(decimal(row.cost)),
    unit: row.unit,
    barcode: row.barcode,
    minThreshold: quantityNumber(decimal(row.min_threshold)),
    tracksExpiry: row.tracks_expiry,
    quantity: quantityNumber(quantity),
    inTransit: quantityNumber(decimal(row.in_transit)),
    value: money(decimal(row.value)),
    averageCost: decimal(row.average_cost).toString(),
    isLowStock: row.is_low_stock,
    isExpired: row.is_expired,
    archived: row.archived,
    revision: Number(row.revision),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
