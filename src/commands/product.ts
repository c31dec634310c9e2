// The product aggregate: catalog data and stock, one consistency boundary, so a stock
// rule is checked against exactly the events it is appended after. Stock never goes
// below zero; every movement carries its lots and its value.
import {
  ProductArchived,
  ProductBarcodeChanged,
  ProductCategoryChanged,
  ProductCostChanged,
  ProductCreated,
  ProductDescriptionChanged,
  ProductExpiryTrackingChanged,
  ProductPriceChanged,
  ProductRenamed,
  ProductSkuChanged,
  ProductThresholdChanged,
  ProductUnitChanged,
  StockAdjusted,
  StockCountVarianceRecorded,
  StockCounted,
  StockReceived,
  StockTransferred,
  TransferReceived,
  TransferShipped,
  StockReturned,
  StockSaleReversed,
  StockSold,
  type AdjustmentReason,
  type LotQuantity,
  type ProductEvent,
} from '../events/product.js';
import { ZERO, decimal, type Decimal } from '../events/values.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';
import { evolveProduct, initialProductState, productSnapshot, saleLineKey, type Product, type ProductState } from './product-state.js';
import { availableAt, averageCost, lotKey, pick, sumOf, takeInOrder, valueAtAverage } from './stock.js';

export type { Product, ProductState } from './product-state.js';

export interface ProductDetails {
  name: string;
  description: string | null;
  price: string;
  cost: string;
  categoryId: string | null;
  unit: string;
  barcode: string | null;
  minThreshold: string;
  tracksExpiry: boolean;
}

export type ProductCommand =
  | { type: 'CreateProduct'; data: ProductDetails & { productId: string; sku: string } }
  | { type: 'ChangeProductDetails'; data: Partial<ProductDetails> & { sku?: string } }
  | { type: 'SetLocationThreshold'; data: { locationId: string; minThreshold: string | null } }
  | { type: 'ArchiveProduct' }
  | { type: 'ReceiveStock'; data: { locationId: string; quantity: string; unitCost: string | null; lot: string | null; expiresOn: string | null } }
  | {
      type: 'AdjustStock';
      data: { locationId: string; quantityDelta: string; reason: AdjustmentReason; lot?: string; expiresOn?: string | null; note: string | null };
    }
  | {
      type: 'TransferStock';
      data: { transferId: string; fromLocationId: string; toLocationId: string; quantity: string; lot?: string; mode: 'immediate' | 'ship' };
    }
  | { type: 'ReceiveTransfer'; data: { transferId: string; quantity: string | null } }
  | { type: 'CountStock'; data: { locationId: string; lot?: string; countedQuantity: string } }
  | { type: 'SellStock'; data: { saleId: string; line: number; locationId: string; quantity: string; unitPrice: string } }
  | { type: 'ReverseSaleLine'; data: { saleId: string; line: number } }
  | { type: 'ReturnStock'; data: { saleId: string; returnId: string; line: number; locationId: string; quantity: string; value: string; lots: readonly LotQuantity[] } };

const detailEvents = {
  name: (productId: string, name: string) => ProductRenamed.of({ productId, name }),
  description: (productId: string, description: string | null) => ProductDescriptionChanged.of({ productId, description }),
  price: (productId: string, price: string) => ProductPriceChanged.of({ productId, price }),
  cost: (productId: string, cost: string) => ProductCostChanged.of({ productId, cost }),
  categoryId: (productId: string, categoryId: string | null) => ProductCategoryChanged.of({ productId, categoryId }),
  unit: (productId: string, unit: string) => ProductUnitChanged.of({ productId, unit }),
  barcode: (productId: string, barcode: string | null) => ProductBarcodeChanged.of({ productId, barcode }),
  minThreshold: (productId: string, minThreshold: string) => ProductThresholdChanged.of({ productId, locationId: null, minThreshold }),
  tracksExpiry: (productId: string, tracksExpiry: boolean) => ProductExpiryTrackingChanged.of({ productId, tracksExpiry }),
};

function changedDetails(s: Product, changes: Partial<ProductDetails>): ProductEvent[] {
  const events: ProductEvent[] = [];
  const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' && /^-?\d/.test(a) ? decimal(a).eq(b) : a === b);
  for (const key of Object.keys(detailEvents) as (keyof ProductDetails)[]) {
    const value = changes[key];
    if (value === undefined || same(value, s[key])) continue;
    events.push((detailEvents[key] as (id: string, v: typeof value) => ProductEvent)(s.productId, value));
  }
  return events;
}

const positive = (quantity: string): Decimal => {
  const q = decimal(quantity);
  if (q.lte(ZERO)) throw new DomainError('invalid-quantity', { quantity: Number(quantity) });
  return q;
};

function active(s: ProductState): Product {
  if (s.status === 'none') throw new DomainError('not-found');
  if (s.status === 'archived') throw new DomainError('product-archived');
  return s;
}

export const product: Decider<ProductCommand, ProductEvent, ProductState> = {
  initialState: initialProductState,
  evolve: evolveProduct,
  snapshot: productSnapshot,

  decide: (cmd, state) => {
    if (cmd.type === 'CreateProduct') {
      if (state.status !== 'none') throw new DomainError('already-exists');
      return [ProductCreated.of(cmd.data)];
    }
    // Archiving is idempotent, like DELETE: archiving an archived product changes nothing.
    if (cmd.type === 'ArchiveProduct' && state.status === 'archived') return [];
    // Giving stock back (a sale undone or returned) is never refused, archived or not.
    if (cmd.type === 'ReverseSaleLine' || cmd.type === 'ReturnStock') {
      if (state.status === 'none') throw new DomainError('not-found');
      return cmd.type === 'ReverseSaleLine' ? reverseSaleLine(state, cmd.data) : returnStock(state, cmd.data);
    }
    const s = active(state);
    switch (cmd.type) {
      case 'ChangeProductDetails': {
        const { sku, ...details } = cmd.data;
        const renumbered = sku !== undefined && sku !== s.sku ? [ProductSkuChanged.of({ productId: s.productId, sku, previousSku: s.sku })] : [];
        return [...changedDetails(s, details), ...renumbered];
      }
      case 'SetLocationThreshold':
        return [ProductThresholdChanged.of({ productId: s.productId, ...cmd.data })];
      case 'ArchiveProduct': {
        // Archived products leave the lists and the dashboard, so nothing may still be owned.
        const owned = decimal(s.valuation.owned);
        if (owned.gt(ZERO)) throw new DomainError('product-has-stock', { quantity: Number(owned.toString()) });
        return [ProductArchived.of({ productId: s.productId, sku: s.sku })];
      }
      case 'ReceiveStock':
        return [receive(s, cmd.data)];
      case 'AdjustStock':
        return [adjust(s, cmd.data)];
      case 'TransferStock':
        return [transfer(s, cmd.data)];
      case 'ReceiveTransfer':
        return [receiveTransfer(s, cmd.data)];
      case 'CountStock':
        return count(s, cmd.data);
      case 'SellStock':
        return sell(s, cmd.data);
    }
  },
};

type Data<T extends ProductCommand['type']> = Extract<ProductCommand, { type: T }> extends { data: infer D } ? D : never;

function receive(s: Product, d: Data<'ReceiveStock'>): ProductEvent {
  const quantity = positive(d.quantity);
  if (s.tracksExpiry && !d.expiresOn) throw new DomainError('expiry-required');
  checkLotExpiry(s, d.lot ?? undefined, d.expiresOn);
  const unitCost = d.unitCost ?? s.cost;
  return StockReceived.of({
    productId: s.productId,
    locationId: d.locationId,
    lot: d.lot,
    quantity: quantity.toString(),
    unitCost,
    value: quantity.times(unitCost).toString(),
    expiresOn: d.lot !== null ? (s.expiry[lotKey(d.lot)] ?? d.expiresOn) : d.expiresOn,
  });
}

// A lot is one batch: it keeps the expiry it was first received with.
function checkLotExpiry(s: Product, lot: string | undefined, expiresOn: string | null | undefined): void {
  if (lot === undefined || !expiresOn || !(lotKey(lot) in s.expiry)) return;
  const known = s.expiry[lotKey(lot)];
  if (known !== expiresOn) throw new DomainError('lot-expiry-mismatch', { lot, expiresOn: known });
}

function adjust(s: Product, d: Data<'AdjustStock'>): ProductEvent {
  const delta = decimal(d.quantityDelta);
  if (delta.eq(ZERO)) throw new DomainError('invalid-quantity', { quantity: 0 });
  const booked = book(s, d.locationId, delta, d.lot, d.expiresOn ?? null);
  return StockAdjusted.of({ productId: s.productId, locationId: d.locationId, reason: d.reason, note: d.note, ...booked });
}

/** A signed change of stock at a location, valued at the average cost. */
function book(s: Product, locationId: string, delta: Decimal, lot: string | undefined, expiresOn: string | null) {
  const unitCost = averageCost(s.valuation, s.cost);
  if (delta.gt(ZERO)) {
    checkLotExpiry(s, lot, expiresOn);
    const lotName = lot ?? null;
    const expiry = lotName !== null ? (s.expiry[lotKey(lotName)] ?? expiresOn) : expiresOn;
    return {
      lots: [{ lot: lotName, expiresOn: expiry, quantity: delta.toString() }],
      quantity: delta.toString(),
      unitCost: unitCost.toString(),
      value: valueAtAverage(s.valuation, delta, s.cost).toString(),
    };
  }
  const out = delta.abs();
  const lots = pick(s.onHand, s.expiry, locationId, out, lot);
  return {
    lots: lots.map((l) => ({ ...l, quantity: decimal(l.quantity).neg().toString() })),
    quantity: delta.toString(),
    unitCost: unitCost.toString(),
    value: valueAtAverage(s.valuation, out, s.cost).neg().toString(),
  };
}

function transfer(s: Product, d: Data<'TransferStock'>): ProductEvent {
  const quantity = positive(d.quantity);
  if (d.fromLocationId === d.toLocationId) throw new DomainError('same-location');
  if (s.inTransit[d.transferId]) throw new DomainError('already-exists', { transferId: d.transferId });
  const lots = pick(s.onHand, s.expiry, d.fromLocationId, quantity, d.lot);
  const data = { productId: s.productId, transferId: d.transferId, fromLocationId: d.fromLocationId, toLocationId: d.toLocationId, lots, quantity: quantity.toString() };
  return d.mode === 'ship' ? TransferShipped.of(data) : StockTransferred.of(data);
}

function receiveTransfer(s: Product, d: Data<'ReceiveTransfer'>): ProductEvent {
  const shipment = s.inTransit[d.transferId];
  if (!shipment) throw new DomainError('unknown-transfer', { transferId: d.transferId });
  const remaining = sumOf(shipment.lots);
  const quantity = d.quantity === null ? remaining : positive(d.quantity);
  if (quantity.gt(remaining)) throw new DomainError('transfer-exceeded', { remaining: Number(remaining.toString()) });
  return TransferReceived.of({
    productId: s.productId,
    transferId: d.transferId,
    toLocationId: shipment.toLocationId,
    lots: takeInOrder(shipment.lots, quantity),
    quantity: quantity.toString(),
  });
}

function count(s: Product, d: Data<'CountStock'>): ProductEvent[] {
  const counted = decimal(d.countedQuantity);
  if (counted.lt(ZERO)) throw new DomainError('invalid-quantity', { quantity: Number(d.countedQuantity) });
  const expected = availableAt(s.onHand, d.locationId, d.lot);
  const events: ProductEvent[] = [
    StockCounted.of({
      productId: s.productId,
      locationId: d.locationId,
      lot: d.lot ?? null,
      countedQuantity: counted.toString(),
      expectedQuantity: expected.toString(),
    }),
  ];
  const variance = counted.minus(expected);
  if (!variance.eq(ZERO)) {
    events.push(StockCountVarianceRecorded.of({ productId: s.productId, locationId: d.locationId, ...book(s, d.locationId, variance, d.lot, null) }));
  }
  return events;
}

// A line already served (a saga step repeated after a crash) is not served again.
function sell(s: Product, d: Data<'SellStock'>): ProductEvent[] {
  if (s.served.has(saleLineKey(d.saleId, d.line))) return [];
  const quantity = positive(d.quantity);
  const lots = pick(s.onHand, s.expiry, d.locationId, quantity);
  return [
    StockSold.of({
      productId: s.productId,
      saleId: d.saleId,
      line: d.line,
      locationId: d.locationId,
      lots,
      quantity: quantity.toString(),
      unitPrice: d.unitPrice,
      unitCost: averageCost(s.valuation, s.cost).toString(),
      value: valueAtAverage(s.valuation, quantity, s.cost).neg().toString(),
    }),
  ];
}

function reverseSaleLine(s: Product, d: Data<'ReverseSaleLine'>): ProductEvent[] {
  const served = s.served.get(saleLineKey(d.saleId, d.line));
  if (!served || served.reversed) return [];
  return [
    StockSaleReversed.of({
      productId: s.productId,
      saleId: d.saleId,
      line: d.line,
      locationId: served.locationId,
      lots: [...served.lots],
      quantity: served.quantity,
      value: decimal(served.value).neg().toString(),
    }),
  ];
}

function returnStock(s: Product, d: Data<'ReturnStock'>): ProductEvent[] {
  if (s.returned.has(saleLineKey(d.returnId, d.line))) return [];
  return [StockReturned.of({ productId: s.productId, ...d, lots: [...d.lots] })];
}
