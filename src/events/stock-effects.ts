// How each product event moves stock, in one place: the products projection and the
// product history both read it, so their numbers cannot drift apart.
import type { ProductEvent } from './product.js';
import { decimal, type Decimal } from './values.js';

export interface StockEffect {
  /** Change of on-hand quantity, all locations together. */
  onHand: Decimal;
  /** Change of quantity in transit (two-step transfers). */
  inTransit: Decimal;
  /** Change of the stock's value. */
  value: Decimal;
}

const none = (): StockEffect => ({ onHand: decimal(0), inTransit: decimal(0), value: decimal(0) });

export function stockEffect(e: ProductEvent): StockEffect {
  switch (e.type) {
    case 'StockReceived':
      return { onHand: decimal(e.data.quantity), inTransit: decimal(0), value: decimal(e.data.value) };
    case 'StockAdjusted':
    case 'StockCountVarianceRecorded':
      return { onHand: decimal(e.data.quantity), inTransit: decimal(0), value: decimal(e.data.value) };
    case 'TransferShipped':
      return { onHand: decimal(e.data.quantity).neg(), inTransit: decimal(e.data.quantity), value: decimal(0) };
    case 'StockSold':
      return { onHand: decimal(e.data.quantity).neg(), inTransit: decimal(0), value: decimal(e.data.value) };
    case 'StockSaleReversed':
    case 'StockReturned':
      return { onHand: decimal(e.data.quantity), inTransit: decimal(0), value: decimal(e.data.value) };
    case 'TransferReceived':
      return { onHand: decimal(e.data.quantity), inTransit: decimal(e.data.quantity).neg(), value: decimal(0) };
    default:
      return none();
  }
}

/** Per location and lot: the signed quantities an event moves there. */
export function lotMovements(e: ProductEvent): { locationId: string; lot: string | null; expiresOn: string | null; quantity: string }[] {
  switch (e.type) {
    case 'StockReceived':
      return [{ locationId: e.data.locationId, lot: e.data.lot, expiresOn: e.data.expiresOn, quantity: e.data.quantity }];
    case 'StockAdjusted':
    case 'StockCountVarianceRecorded':
      return e.data.lots.map((l) => ({ locationId: e.data.locationId, ...l }));
    case 'StockTransferred':
      return e.data.lots.flatMap((l) => [
        { locationId: e.data.fromLocationId, ...l, quantity: decimal(l.quantity).neg().toString() },
        { locationId: e.data.toLocationId, ...l },
      ]);
    case 'TransferShipped':
      return e.data.lots.map((l) => ({ locationId: e.data.fromLocationId, ...l, quantity: decimal(l.quantity).neg().toString() }));
    case 'TransferReceived':
      return e.data.lots.map((l) => ({ locationId: e.data.toLocationId, ...l }));
    case 'StockSold':
      return e.data.lots.map((l) => ({ locationId: e.data.locationId, ...l, quantity: decimal(l.quantity).neg().toString() }));
    case 'StockSaleReversed':
    case 'StockReturned':
      return e.data.lots.map((l) => ({ locationId: e.data.locationId, ...l }));
    default:
      return [];
  }
}
