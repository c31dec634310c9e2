// The product read models: one row per product (totals, average cost, low-stock flag),
// stock per location and lot, per-location thresholds, and the per-tenant totals and
// per-category values the dashboard reads. Every handler first advances the product
// row's revision and does nothing more if the row was already past the event, so an
// event applied twice changes nothing the second time.
import { sql, type Transaction, type UpdateObject } from 'kysely';
import type { Stored } from '../events/index.js';
import type { ProductEvent } from '../events/product.js';
import { lotMovements, stockEffect } from '../events/stock-effects.js';
import { decimal } from '../events/values.js';
import { projection, type Handler } from './projection.js';
import type { Database } from './schema.js';

type Tx = Transaction<Database>;
type ProductUpdate = UpdateObject<Database, 'products'>;

/** Advances the product row to this event (with `set`): its category, or undefined if it was already there. */
async function advance(tx: Tx, e: Stored<ProductEvent>, set: ProductUpdate = {}): Promise<{ category_id: string | null } | undefined> {
  return tx
    .updateTable('products')
    .set({ ...set, revision: Number(e.revision), updated_at: e.metadata.occurredAt })
    .where('id', '=', e.data.productId)
    .where('revision', '<', Number(e.revision))
    .returning('category_id')
    .executeTakeFirst();
}

const catalog = <T extends ProductEvent['type']>(columns: (e: Extract<ProductEvent, { type: T }>) => ProductUpdate): Handler<T> =>
  (async (e: Stored<Extract<ProductEvent, { type: T }>>, tx: Tx) => {
    await advance(tx, e as Stored<ProductEvent>, columns(e));
  }) as Handler<T>;

async function applyStock(e: Stored<ProductEvent>, tx: Tx): Promise<void> {
  const { onHand, inTransit, value } = stockEffect(e);
  const [dq, dt, dv] = [onHand.toString(), inTransit.toString(), value.toString()];
  const owned = sql`quantity + in_transit + ${dq}::numeric + ${dt}::numeric`;
  const applied = await advance(tx, e, {
    quantity: sql<string>`quantity + ${dq}::numeric`,
    in_transit: sql<string>`in_transit + ${dt}::numeric`,
    value: sql<string>`value + ${dv}::numeric`,
    average_cost: sql<string>`CASE WHEN ${owned} > 0 THEN round((value + ${dv}::numeric) / (${owned}), 8) ELSE cost END`,
    is_low_stock: sql<boolean>`quantity + ${dq}::numeric <= min_threshold`,
  });
  if (!applied) return;
  const tenantId = e.metadata.tenantId;
  for (const m of lotMovements(e)) {
    await tx
      .insertInto('product_stock')
      .values({ tenant_id: tenantId, product_id: e.data.productId, location_id: m.locationId, lot_key: m.lot ?? '', lot: m.lot, expires_on: m.expiresOn, quantity: m.quantity })
      .onConflict((oc) => oc.columns(['product_id', 'location_id', 'lot_key']).doUpdateSet({ quantity: sql`product_stock.quantity + excluded.quantity` }))
      .execute();
  }
  await tx.deleteFrom('product_stock').where('product_id', '=', e.data.productId).where('quantity', '=', '0').execute();
  await addTotals(tx, tenantId, { products: 0, stock: dq, value: dv });
  await addCategoryValue(tx, tenantId, applied.category_id, dv);
}

async function addTotals(tx: Tx, tenantId: string, d: { products: number; stock: string; value: string }): Promise<void> {
  await tx
    .insertInto('inventory_totals')
    .values({ tenant_id: tenantId, products: d.products, total_stock: d.stock, total_value: d.value })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        products: sql`inventory_totals.products + excluded.products`,
        total_stock: sql`inventory_totals.total_stock + excluded.total_stock`,
        total_value: sql`inventory_totals.total_value + excluded.total_value`,
      }),
    )
    .execute();
}

async function addCategoryValue(tx: Tx, tenantId: string, categoryId: string | null, value: string): Promise<void> {
  await tx
    .insertInto('category_values')
    .values({ tenant_id: tenantId, category_id: categoryId ?? '', value })
    .onConflict((oc) => oc.columns(['tenant_id', 'category_id']).doUpdateSet({ value: sql`category_values.value + excluded.value` }))
    .execute();
}

// One handler for every movement: stockEffect and lotMovements know what each moves.
const stock = <T extends ProductEvent['type']>(): Handler<T> =>
  ((e: Stored<ProductEvent>, tx: Tx) => applyStock(e, tx)) as unknown as Handler<T>;

export const products = projection('products', ['products', 'product_stock', 'product_thresholds', 'inventory_totals', 'category_values'], {
  ProductCreated: async (e, tx) => {
    const inserted = await tx
      .insertInto('products')
      .values({
        id: e.data.productId,
        tenant_id: e.metadata.tenantId,
        sku: e.data.sku,
        name: e.data.name,
        description: e.data.description,
        category_id: e.data.categoryId,
        price: e.data.price,
        cost: e.data.cost,
        unit: e.data.unit,
        barcode: e.data.barcode,
        min_threshold: e.data.minThreshold,
        tracks_expiry: e.data.tracksExpiry,
        quantity: '0',
        in_transit: '0',
        value: '0',
        average_cost: e.data.cost,
        // Nothing on hand yet, and a threshold is never negative.
        is_low_stock: true,
        archived: false,
        revision: Number(e.revision),
        created_at: e.metadata.occurredAt,
        updated_at: e.metadata.occurredAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) await addTotals(tx, e.metadata.tenantId, { products: 1, stock: '0', value: '0' });
  },
  ProductRenamed: catalog<'ProductRenamed'>((e) => ({ name: e.data.name })),
  ProductDescriptionChanged: catalog<'ProductDescriptionChanged'>((e) => ({ description: e.data.description })),
  ProductPriceChanged: catalog<'ProductPriceChanged'>((e) => ({ price: e.data.price })),
  ProductCostChanged: catalog<'ProductCostChanged'>((e) => ({
    cost: e.data.cost,
    // While nothing is owned, the average cost is the standard cost.
    average_cost: sql<string>`CASE WHEN quantity + in_transit > 0 THEN average_cost ELSE ${e.data.cost}::numeric END`,
  })),
  ProductUnitChanged: catalog<'ProductUnitChanged'>((e) => ({ unit: e.data.unit })),
  ProductBarcodeChanged: catalog<'ProductBarcodeChanged'>((e) => ({ barcode: e.data.barcode })),
  ProductExpiryTrackingChanged: catalog<'ProductExpiryTrackingChanged'>((e) => ({ tracks_expiry: e.data.tracksExpiry })),
  ProductSkuChanged: catalog<'ProductSkuChanged'>((e) => ({ sku: e.data.sku })),
  ProductCategoryChanged: async (e, tx) => {
    const before = await tx.selectFrom('products').select(['category_id', 'value']).where('id', '=', e.data.productId).executeTakeFirst();
    if (!before || !(await advance(tx, e, { category_id: e.data.categoryId }))) return;
    await addCategoryValue(tx, e.metadata.tenantId, before.category_id, decimal(before.value).neg().toString());
    await addCategoryValue(tx, e.metadata.tenantId, e.data.categoryId, before.value);
  },
  ProductThresholdChanged: async (e, tx) => {
    const { productId, locationId, minThreshold } = e.data;
    if (locationId === null) {
      const threshold = minThreshold ?? '0';
      await advance(tx, e, { min_threshold: threshold, is_low_stock: sql<boolean>`quantity <= ${threshold}::numeric` });
      return;
    }
    if (!(await advance(tx, e))) return;
    if (minThreshold === null) {
      await tx.deleteFrom('product_thresholds').where('product_id', '=', productId).where('location_id', '=', locationId).execute();
      return;
    }
    await tx
      .insertInto('product_thresholds')
      .values({ tenant_id: e.metadata.tenantId, product_id: productId, location_id: locationId, min_threshold: minThreshold })
      .onConflict((oc) => oc.columns(['product_id', 'location_id']).doUpdateSet({ min_threshold: minThreshold }))
      .execute();
  },
  ProductArchived: async (e, tx) => {
    if (await advance(tx, e, { archived: true })) await addTotals(tx, e.metadata.tenantId, { products: -1, stock: '0', value: '0' });
  },
  StockReceived: stock(),
  StockAdjusted: stock(),
  StockCountVarianceRecorded: stock(),
  StockTransferred: stock(),
  TransferShipped: stock(),
  TransferReceived: stock(),
  StockSold: stock(),
  StockSaleReversed: stock(),
  StockReturned: stock(),
  StockCounted: catalog<'StockCounted'>(() => ({})),
});
