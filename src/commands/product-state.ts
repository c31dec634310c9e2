// The product aggregate's state and how each event changes it (the fold half of the
// decider; product.ts holds the rules).
import { OrderedMap } from 'immutable';
import { validate, version } from 'uuid';
import type { LotQuantity, ProductEvent } from '../events/product.js';
import { decimal } from '../events/values.js';
import type { SnapshotCodec } from './decider.js';
import { lotKey, move, revalue, sumOf, type LotExpiry, type OnHand, type Valuation } from './stock.js';

export interface Product {
  readonly status: 'active' | 'archived';
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string | null;
  readonly price: string;
  /** Standard cost: what a receipt costs when it names none. */
  readonly cost: string;
  readonly categoryId: string | null;
  readonly unit: string;
  readonly barcode: string | null;
  readonly minThreshold: string;
  readonly tracksExpiry: boolean;
  /** Per-location thresholds overriding minThreshold. */
  readonly thresholds: Readonly<Record<string, string>>;
  readonly onHand: OnHand;
  readonly expiry: LotExpiry;
  /** Two-step transfers shipped and not yet fully received: what is still on the way. */
  readonly inTransit: Readonly<Record<string, { fromLocationId: string; toLocationId: string; lots: readonly LotQuantity[] }>>;
  readonly valuation: Valuation;
  /**
   * Sale lines this product served (`<saleId>:<line>`) and returns it took back
   * (`<returnId>:<line>`), so that a saga step repeated after a crash finds its work
   * done. Kept for SALE_STEP_MEMORY_MS after the sale (or return) began, oldest first:
   * one is over within seconds, and remembering every sale ever would make each cost
   * more than the last. Persistent maps, so adding one is not a copy of them all.
   */
  readonly served: OrderedMap<string, ServedLine>;
  readonly returned: OrderedMap<string, SaleStep>;
}

export interface SaleStep {
  /** When its sale or return began (from its UUIDv7 id), in ms: what ages it out of memory. */
  readonly at: number;
}

export interface ServedLine extends SaleStep {
  readonly locationId: string;
  readonly lots: readonly LotQuantity[];
  readonly quantity: string;
  /** Negative: the cost of the goods that left. */
  readonly value: string;
  readonly reversed: boolean;
}

/** How long a product remembers a sale's or return's steps: recovery drives none older (sale-recovery.ts). */
export const SALE_STEP_MEMORY_MS = 7 * 24 * 60 * 60 * 1000;

export const saleLineKey = (saleId: string, line: number) => `${saleId}:${line}`;

/** The time in a UUIDv7 (sale and return ids are); for any other id (a void's), the newest step's time. */
function timeOf(id: string, steps: OrderedMap<string, SaleStep>): number {
  // The first 48 bits of a UUIDv7 are its Unix time in ms.
  if (validate(id) && version(id) === 7) return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  return steps.last()?.at ?? 0;
}

/** Adds a step and forgets, from the oldest, those that are past the memory. */
function remember<V extends SaleStep>(steps: OrderedMap<string, V>, key: string, step: V): OrderedMap<string, V> {
  let kept = steps.set(key, step);
  const horizon = step.at - SALE_STEP_MEMORY_MS;
  for (let oldest = kept.entrySeq().first(); oldest && oldest[1].at < horizon; oldest = kept.entrySeq().first()) kept = kept.delete(oldest[0]);
  return kept;
}

export type ProductState = { readonly status: 'none' } | Product;

export const initialProductState: ProductState = { status: 'none' };

export function evolveProduct(s: ProductState, e: ProductEvent): ProductState {
  if (e.type === 'ProductCreated') {
    return {
      status: 'active',
      ...e.data,
      thresholds: {},
      onHand: {},
      expiry: {},
      inTransit: {},
      valuation: { owned: '0', value: '0' },
      served: OrderedMap(),
      returned: OrderedMap(),
    };
  }
  if (s.status === 'none') return s;
  switch (e.type) {
    case 'ProductRenamed':
      return { ...s, name: e.data.name };
    case 'ProductDescriptionChanged':
      return { ...s, description: e.data.description };
    case 'ProductPriceChanged':
      return { ...s, price: e.data.price };
    case 'ProductCostChanged':
      return { ...s, cost: e.data.cost };
    case 'ProductCategoryChanged':
      return { ...s, categoryId: e.data.categoryId };
    case 'ProductUnitChanged':
      return { ...s, unit: e.data.unit };
    case 'ProductBarcodeChanged':
      return { ...s, barcode: e.data.barcode };
    case 'ProductExpiryTrackingChanged':
      return { ...s, tracksExpiry: e.data.tracksExpiry };
    case 'ProductThresholdChanged': {
      const { locationId, minThreshold } = e.data;
      if (locationId === null) return { ...s, minThreshold: minThreshold ?? '0' };
      const { [locationId]: _, ...others } = s.thresholds;
      return { ...s, thresholds: minThreshold === null ? others : { ...others, [locationId]: minThreshold } };
    }
    case 'ProductSkuChanged':
      return { ...s, sku: e.data.sku };
    case 'ProductArchived':
      return { ...s, status: 'archived' };
    case 'StockReceived': {
      const lot = { lot: e.data.lot, expiresOn: e.data.expiresOn, quantity: e.data.quantity };
      return {
        ...s,
        onHand: move(s.onHand, e.data.locationId, [lot], 1),
        expiry: withExpiry(s.expiry, [lot]),
        valuation: revalue(s.valuation, decimal(e.data.quantity), decimal(e.data.value)),
      };
    }
    case 'StockAdjusted':
    case 'StockCountVarianceRecorded': {
      const inflow = decimal(e.data.quantity).gt(0);
      const lots = e.data.lots.map((l) => ({ ...l, quantity: decimal(l.quantity).abs().toString() }));
      return {
        ...s,
        onHand: move(s.onHand, e.data.locationId, lots, inflow ? 1 : -1),
        expiry: withExpiry(s.expiry, lots),
        valuation: revalue(s.valuation, decimal(e.data.quantity), decimal(e.data.value)),
      };
    }
    case 'StockTransferred':
      return { ...s, onHand: move(move(s.onHand, e.data.fromLocationId, e.data.lots, -1), e.data.toLocationId, e.data.lots, 1) };
    case 'TransferShipped':
      return {
        ...s,
        onHand: move(s.onHand, e.data.fromLocationId, e.data.lots, -1),
        inTransit: { ...s.inTransit, [e.data.transferId]: { fromLocationId: e.data.fromLocationId, toLocationId: e.data.toLocationId, lots: e.data.lots } },
      };
    case 'TransferReceived': {
      const shipment = s.inTransit[e.data.transferId];
      if (!shipment) return s;
      const remaining = subtractLots(shipment.lots, e.data.lots);
      const { [e.data.transferId]: _, ...others } = s.inTransit;
      return {
        ...s,
        onHand: move(s.onHand, e.data.toLocationId, e.data.lots, 1),
        inTransit: sumOf(remaining).gt(0) ? { ...others, [e.data.transferId]: { ...shipment, lots: remaining } } : others,
      };
    }
    case 'StockCounted':
      return s;
    case 'StockSold': {
      const { saleId, line, locationId, lots, quantity, value } = e.data;
      return {
        ...s,
        onHand: move(s.onHand, locationId, lots, -1),
        valuation: revalue(s.valuation, decimal(quantity).neg(), decimal(value)),
        served: remember(s.served, saleLineKey(saleId, line), { at: timeOf(saleId, s.served), locationId, lots, quantity, value, reversed: false }),
      };
    }
    case 'StockSaleReversed': {
      const key = saleLineKey(e.data.saleId, e.data.line);
      const line = s.served.get(key);
      return {
        ...s,
        onHand: move(s.onHand, e.data.locationId, e.data.lots, 1),
        valuation: revalue(s.valuation, decimal(e.data.quantity), decimal(e.data.value)),
        served: line ? s.served.set(key, { ...line, reversed: true }) : s.served,
      };
    }
    case 'StockReturned':
      return {
        ...s,
        onHand: move(s.onHand, e.data.locationId, e.data.lots, 1),
        expiry: withExpiry(s.expiry, e.data.lots),
        valuation: revalue(s.valuation, decimal(e.data.quantity), decimal(e.data.value)),
        // Aged by the return's time: an old sale may be returned today.
        returned: remember(s.returned, saleLineKey(e.data.returnId, e.data.line), { at: timeOf(e.data.returnId, s.returned) }),
      };
  }
}

function withExpiry(expiry: LotExpiry, lots: readonly LotQuantity[]): LotExpiry {
  const next = { ...expiry };
  for (const l of lots) if (l.lot !== null && !(lotKey(l.lot) in next)) next[lotKey(l.lot)] = l.expiresOn;
  return next;
}

function subtractLots(from: readonly LotQuantity[], taken: readonly LotQuantity[]): LotQuantity[] {
  return from
    .map((l) => {
      const gone = taken.filter((t) => t.lot === l.lot).reduce((sum, t) => sum.plus(t.quantity), decimal(0));
      return { ...l, quantity: decimal(l.quantity).minus(gone).toString() };
    })
    .filter((l) => decimal(l.quantity).gt(0));
}

type ProductJson = Omit<Product, 'served' | 'returned'> & { served: [string, ServedLine][]; returned: [string, SaleStep][] };

/** Snapshots of a product: plain JSON, the persistent maps as entry lists in their order. */
export const productSnapshot: SnapshotCodec<ProductState> = {
  version: 1,
  encode: (s) => (s.status === 'none' ? s : { ...s, served: [...s.served.entries()], returned: [...s.returned.entries()] }),
  decode: (json) => {
    // Written by encode above, at this version (the handler checks it): trusted shape.
    const s = json as ProductState | ProductJson;
    return s.status === 'none' ? s : { ...s, served: OrderedMap(s.served), returned: OrderedMap(s.returned) };
  },
};
