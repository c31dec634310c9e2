// A product's stock per location and lot, valued at the product's average cost.
import { decimal, money, quantityNumber } from '../events/values.js';
import type { TenantScope } from './scope.js';

export interface StockLine {
  locationId: string;
  lot: string | null;
  expiresOn: string | null;
  quantity: number;
  value: string;
}

export async function productStock(scope: TenantScope, productId: string): Promise<{ lines: StockLine[]; averageCost: string } | null> {
  const product = await scope.selectFrom('products').select(['average_cost']).where('id', '=', productId).executeTakeFirst();
  if (!product) return null;
  const rows = await scope
    .selectFrom('product_stock')
    .select(['location_id', 'lot', 'expires_on', 'quantity'])
    .where('product_id', '=', productId)
    .orderBy('location_id')
    .orderBy('expires_on')
    .orderBy('lot_key')
    .execute();
  const cost = decimal(product.average_cost);
  return {
    averageCost: cost.toString(),
    lines: rows.map((r) => ({
      locationId: r.location_id,
      lot: r.lot,
      expiresOn: r.expires_on,
      quantity: quantityNumber(decimal(r.quantity)),
      value: money(decimal(r.quantity).times(cost)),
    })),
  };
}
