// The dashboard's inventory figures, from maintained totals (inventory_totals,
// category_values) and the partial indexes on low-stock products and expiring lots:
// no request scans every product.
import { sql } from 'kysely';
import { ZERO, decimal, money, quantityNumber } from '../events/values.js';
import type { TenantScope } from './scope.js';

export interface InventoryDashboard {
  counts: { totalProducts: number; totalCategories: number; lowStock: number; expiredProducts: number };
  stock: { totalStock: number };
  financial: { totalInventoryValue: string; expiredInventoryValue: string; realInventoryValue: string };
  analytics: { category: string; totalValue: string }[];
}

export async function inventoryDashboard(scope: TenantScope, today: string): Promise<InventoryDashboard> {
  const totals = await scope.selectFrom('inventory_totals').select(['products', 'total_stock', 'total_value']).executeTakeFirst();
  const { categories } = await scope
    .selectFrom('categories')
    .select((eb) => eb.fn.countAll<number>().as('categories'))
    .where('archived', '=', false)
    .executeTakeFirstOrThrow();
  const { lowStock } = await scope
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<number>().as('lowStock'))
    .where('is_low_stock', '=', true)
    .where('archived', '=', false)
    .executeTakeFirstOrThrow();
  const expired = await scope
    .selectFrom('product_stock')
    .innerJoin('products', 'products.id', 'product_stock.product_id')
    .select(['product_stock.product_id', 'product_stock.quantity', 'products.average_cost'])
    .where('product_stock.expires_on', '<=', today)
    .where('product_stock.quantity', '>', '0')
    .execute();
  const byCategory = await scope
    .selectFrom('category_values')
    .leftJoin('categories', (j) => j.on(sql`categories.id::text`, '=', sql.ref('category_values.category_id')))
    .select(['category_values.value', 'categories.name'])
    .where('category_values.value', '<>', '0')
    .orderBy('category_values.value', 'desc')
    .execute();

  const total = decimal(totals?.total_value ?? '0');
  const expiredValue = expired.reduce((sum, r) => sum.plus(decimal(r.quantity).times(r.average_cost)), ZERO);
  return {
    counts: {
      totalProducts: Number(totals?.products ?? 0),
      totalCategories: Number(categories),
      lowStock: Number(lowStock),
      expiredProducts: new Set(expired.map((r) => r.product_id)).size,
    },
    stock: { totalStock: quantityNumber(decimal(totals?.total_stock ?? '0')) },
    financial: {
      totalInventoryValue: money(total),
      expiredInventoryValue: money(expiredValue),
      realInventoryValue: money(total.minus(expiredValue)),
    },
    analytics: byCategory.map((r) => ({ category: r.name ?? 'Uncategorized', totalValue: money(decimal(r.value)) })),
  };
}
