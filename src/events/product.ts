// The product aggregate's events: its catalog data and its stock. Every movement
// records the lots it touched and its value, so a product's stock and stock value are
// plain sums over its events.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { Id, LocalDate, Money, Quantity } from './values.js';

export const ProductCreated = event(
  'ProductCreated',
  z.object({
    productId: Id,
    sku: z.string().min(1),
    name: z.string().min(1),
    description: z.string().nullable(),
    categoryId: Id.nullable(),
    price: Money,
    cost: Money,
    unit: z.string().min(1),
    barcode: z.string().nullable(),
    minThreshold: Quantity,
    tracksExpiry: z.boolean(),
  }),
  {
    version: 2,
    upcasters: {
      // v1 called the threshold `minimumStock` and knew nothing of expiry tracking.
      1: ({ minimumStock, ...rest }) => ({ ...rest, minThreshold: minimumStock ?? '0', tracksExpiry: false }),
    },
  },
);

export const ProductRenamed = event('ProductRenamed', z.object({ productId: Id, name: z.string().min(1) }));
export const ProductDescriptionChanged = event('ProductDescriptionChanged', z.object({ productId: Id, description: z.string().nullable() }));
export const ProductPriceChanged = event('ProductPriceChanged', z.object({ productId: Id, price: Money }));
/** The standard cost: what a receipt costs when it names no unit cost. */
export const ProductCostChanged = event('ProductCostChanged', z.object({ productId: Id, cost: Money }));
export const ProductCategoryChanged = event('ProductCategoryChanged', z.object({ productId: Id, categoryId: Id.nullable() }));
export const ProductUnitChanged = event('ProductUnitChanged', z.object({ productId: Id, unit: z.string().min(1) }));
export const ProductBarcodeChanged = event('ProductBarcodeChanged', z.object({ productId: Id, barcode: z.string().nullable() }));
export const ProductExpiryTrackingChanged = event('ProductExpiryTrackingChanged', z.object({ productId: Id, tracksExpiry: z.boolean() }));
/** locationId null: the product's own threshold; minThreshold null: the location's override is removed. */
export const ProductThresholdChanged = event(
  'ProductThresholdChanged',
  z.object({ productId: Id, locationId: Id.nullable(), minThreshold: Quantity.nullable() }),
);
export const ProductSkuChanged = event('ProductSkuChanged', z.object({ productId: Id, sku: z.string().min(1), previousSku: z.string().min(1) }));
export const ProductArchived = event('ProductArchived', z.object({ productId: Id, sku: z.string().min(1) }));

/** Stock of one lot that moved; the lot's expiry travels with it. */
export const LotQuantity = z.object({ lot: z.string().nullable(), expiresOn: LocalDate.nullable(), quantity: Quantity });
export type LotQuantity = z.infer<typeof LotQuantity>;

export const StockReceived = event(
  'StockReceived',
  z.object({
    productId: Id,
    locationId: Id,
    lot: z.string().nullable(),
    quantity: Quantity,
    unitCost: Money,
    /** quantity × unitCost: a stock value is a sum over events. */
    value: Money,
    expiresOn: LocalDate.nullable(),
  }),
);

export const AdjustmentReason = z.enum(['damaged', 'lost', 'found', 'expired', 'stolen', 'returned', 'correction', 'other']);
export type AdjustmentReason = z.infer<typeof AdjustmentReason>;

/** Signed quantities: a write-off takes lots out (negative), a find puts stock in. */
export const StockAdjusted = event(
  'StockAdjusted',
  z.object({
    productId: Id,
    locationId: Id,
    reason: AdjustmentReason,
    note: z.string().nullable(),
    lots: z.array(LotQuantity).min(1),
    quantity: Quantity,
    /** The average cost the movement was valued at. */
    unitCost: Money,
    /** Signed; for stock leaving, its cost (what the books lose). */
    value: Money,
  }),
);

export const StockTransferred = event(
  'StockTransferred',
  z.object({ productId: Id, transferId: Id, fromLocationId: Id, toLocationId: Id, lots: z.array(LotQuantity).min(1), quantity: Quantity }),
);

/** Two-step transfer, first step: the stock leaves and is in transit (still owned, still valued). */
export const TransferShipped = event(
  'TransferShipped',
  z.object({ productId: Id, transferId: Id, fromLocationId: Id, toLocationId: Id, lots: z.array(LotQuantity).min(1), quantity: Quantity }),
);

/** Two-step transfer, second step, possibly in parts. */
export const TransferReceived = event(
  'TransferReceived',
  z.object({ productId: Id, transferId: Id, toLocationId: Id, lots: z.array(LotQuantity).min(1), quantity: Quantity }),
);

/** A stocktake: what was counted against what the books said. */
export const StockCounted = event(
  'StockCounted',
  z.object({ productId: Id, locationId: Id, lot: z.string().nullable(), countedQuantity: Quantity, expectedQuantity: Quantity }),
);

/** The difference a count found, booked like an adjustment. */
export const StockCountVarianceRecorded = event(
  'StockCountVarianceRecorded',
  z.object({
    productId: Id,
    locationId: Id,
    lots: z.array(LotQuantity).min(1),
    quantity: Quantity,
    unitCost: Money,
    value: Money,
  }),
);

/** A sale line took stock: its lots first-expiring-first-out, valued at the average cost. */
export const StockSold = event(
  'StockSold',
  z.object({
    productId: Id,
    saleId: Id,
    line: z.number().int().min(0),
    locationId: Id,
    lots: z.array(LotQuantity).min(1),
    quantity: Quantity,
    unitPrice: Money,
    unitCost: Money,
    /** Negative: the cost of the goods sold. */
    value: Money,
  }),
);

/** A sale that could not be completed gives back what one of its lines took, at the same cost. */
export const StockSaleReversed = event(
  'StockSaleReversed',
  z.object({ productId: Id, saleId: Id, line: z.number().int().min(0), locationId: Id, lots: z.array(LotQuantity).min(1), quantity: Quantity, value: Money }),
);

/** Sold goods back on the shelf (a return with restock, or a void), at the cost they left with. */
export const StockReturned = event(
  'StockReturned',
  z.object({
    productId: Id,
    saleId: Id,
    returnId: Id,
    line: z.number().int().min(0),
    locationId: Id,
    lots: z.array(LotQuantity).min(1),
    quantity: Quantity,
    value: Money,
  }),
);

export const SkuReserved = event('SkuReserved', z.object({ sku: z.string().min(1), productId: Id }));
export const SkuReleased = event('SkuReleased', z.object({ sku: z.string().min(1), productId: Id }));

export const productEvents = [
  ProductCreated,
  ProductRenamed,
  ProductDescriptionChanged,
  ProductPriceChanged,
  ProductCostChanged,
  ProductCategoryChanged,
  ProductUnitChanged,
  ProductBarcodeChanged,
  ProductExpiryTrackingChanged,
  ProductThresholdChanged,
  ProductSkuChanged,
  ProductArchived,
  StockReceived,
  StockAdjusted,
  StockTransferred,
  TransferShipped,
  TransferReceived,
  StockCounted,
  StockCountVarianceRecorded,
  StockSold,
  StockSaleReversed,
  StockReturned,
] as const;
export type ProductEvent = EventOf<(typeof productEvents)[number]>;
export const skuReservationEvents = [SkuReserved, SkuReleased] as const;
export type SkuReservationEvent = EventOf<(typeof skuReservationEvents)[number]>;
