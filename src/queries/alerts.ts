// What needs attention: stock at or below its threshold (per product, and per location
// where one is set), stock expired, and stock expiring within the warning window.
import { sql } from 'kysely';
import { decimal, money, quantityNumber } from '../events/values.js';
import { addDays } from './calendar.js';
import type { TenantScope } from './scope.js';

export interface LowStockAlert {
  productId: string;
  sku: string;
  name: string;
  /** null: the product's total against its own threshold. */
  locationId: string | null;
  quantity: number;
  minThreshold: number;
}

export interface ExpiryAlert {
  productId: string;
  sku: string;
  name: string;
  locationId: string;
  lot: string | null;
  expiresOn: string;
  quantity: number;
  value: string;
}

export interface Alerts {
  lowStock: LowStockAlert[];
  expired: ExpiryAlert[];
  expiringSoon: ExpiryAlert[];
}

export async function alerts(scope: TenantScope, today: string, warningDays: number): Promise<Alerts> {
  const products = await scope
    .selectFrom('products')
    .select(['id', 'sku', 'name', 'quantity', 'min_threshold'])
    .where('is_low_stock', '=', true)
    .where('archived', '=', false)
    .orderBy('name')
    .execute();
  const atLocations = await scope
    .selectFrom('product_thresholds')
    .innerJoin('products', 'products.id', 'product_thresholds.product_id')
    .select([
      'products.id',
      'products.sku',
      'products.name',
      'product_thresholds.location_id',
      'product_thresholds.min_threshold',
      sql<string>`COALESCE((SELECT sum(s.quantity) FROM product_stock s
        WHERE s.product_id = product_thresholds.product_id AND s.location_id = product_thresholds.location_id), 0)`.as('quantity'),
    ])
    .where('products.archived', '=', false)
    .execute();
  const expiring = await scope
    .selectFrom('product_stock')
    .innerJoin('products', 'products.id', 'product_stock.product_id')
    .select(['products.id', 'products.sku', 'products.name', 'products.average_cost', 'product_stock.location_id', 'product_stock.lot', 'product_stock.expires_on', 'product_stock.quantity'])
    .where('product_stock.expires_on', 'is not', null)
    .where('product_stock.expires_on', '<=', addDays(today, warningDays))
    .where('product_stock.quantity', '>', '0')
    .orderBy('product_stock.expires_on')
    .orderBy('products.name')
    .execute();

  const expiry = (r: (typeof expiring)[number]): ExpiryAlert => ({
    productId: r.id,
    sku: r.sku,
    name: r.name,
    locationId: r.location_id,
    lot: r.lot,
    expiresOn: r.expires_on!,
    quantity: quantityNumber(decimal(r.quantity)),
    value: money(decimal(r.quantity).times(r.average_cost)),
  });
  return {
    lowStock: [
      ...products.map((p) => ({ productId: p.id, sku: p.sku, name: p.name, locationId: null, quantity: quantityNumber(decimal(p.quantity)), minThreshold: quantityNumber(decimal(p.min_threshold)) })),
      ...atLocations
        .filter((r) => decimal(r.quantity).lte(r.min_threshold))
        .map((r) => ({ productId: r.id, sku: r.sku, name: r.name, locationId: r.location_id, quantity: quantityNumber(decimal(r.quantity)), minThreshold: quantityNumber(decimal(r.min_threshold)) })),
    ],
    expired: expiring.filter((r) => r.expires_on! <= today).map(expiry),
    expiringSoon: expiring.filter((r) => r.expires_on! > today).map(expiry),
  };
}
