// Stock arithmetic for the product aggregate, pure and exact: lots per location,
// first-expiring-first-out picking, and moving weighted-average valuation.
import type { LotQuantity } from '../events/product.js';
import { ZERO, decimal, type Decimal } from '../events/values.js';
import { DomainError } from './errors.js';

/** On-hand quantity per location, then per lot key ('' is stock without a lot). */
export type OnHand = Readonly<Record<string, Readonly<Record<string, string>>>>;
/** Each lot's expiry date, product-wide: a lot is one batch wherever it sits. */
export type LotExpiry = Readonly<Record<string, string | null>>;

export const lotKey = (lot: string | null): string => lot ?? '';
const lotOf = (key: string): string | null => (key === '' ? null : key);

export function availableAt(onHand: OnHand, locationId: string, lot?: string | null): Decimal {
  const lots = onHand[locationId] ?? {};
  if (lot !== undefined) return decimal(lots[lotKey(lot)] ?? '0');
  return Object.values(lots).reduce((sum, q) => sum.plus(q), ZERO);
}

/**
 * Picks `quantity` from a location: from the named lot, or first-expiring-first-out
 * (lots without expiry last, then by lot name). Throws insufficient-stock naming what
 * is available when there is not enough.
 */
export function pick(onHand: OnHand, expiry: LotExpiry, locationId: string, quantity: Decimal, lot?: string | null): LotQuantity[] {
  const available = availableAt(onHand, locationId, lot);
  if (available.lt(quantity)) {
    throw new DomainError('insufficient-stock', { available: Number(available.toString()), locationId, ...(lot !== undefined ? { lot } : {}) });
  }
  const lots = onHand[locationId] ?? {};
  const keys = lot !== undefined ? [lotKey(lot)] : Object.keys(lots).sort((a, b) => byExpiry(expiry, a, b));
  return takeInOrder(keys.map((key) => ({ lot: lotOf(key), expiresOn: expiry[key] ?? null, quantity: lots[key] ?? '0' })), quantity);
}

/** Takes `quantity` from lots in the order given (already checked to be enough). */
export function takeInOrder(lots: readonly LotQuantity[], quantity: Decimal): LotQuantity[] {
  const taken: LotQuantity[] = [];
  let remaining = quantity;
  for (const lot of lots) {
    if (remaining.lte(ZERO)) break;
    const here = decimal(lot.quantity);
    if (here.lte(ZERO)) continue;
    const take = here.lt(remaining) ? here : remaining;
    taken.push({ lot: lot.lot, expiresOn: lot.expiresOn, quantity: take.toString() });
    remaining = remaining.minus(take);
  }
  return taken;
}

function byExpiry(expiry: LotExpiry, a: string, b: string): number {
  const ea = expiry[a] ?? null;
  const eb = expiry[b] ?? null;
  if (ea !== eb) {
    if (ea === null) return 1;
    if (eb === null) return -1;
    return ea < eb ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds (sign 1) or removes (sign -1) lots at a location; empty lots disappear. */
export function move(onHand: OnHand, locationId: string, lots: readonly LotQuantity[], sign: 1 | -1): OnHand {
  const here: Record<string, string> = { ...(onHand[locationId] ?? {}) };
  for (const { lot, quantity } of lots) {
    const key = lotKey(lot);
    const next = decimal(here[key] ?? '0').plus(decimal(quantity).times(sign));
    if (next.eq(ZERO)) delete here[key];
    else here[key] = next.toString();
  }
  return { ...onHand, [locationId]: here };
}

export const sumOf = (lots: readonly LotQuantity[]): Decimal => lots.reduce((s, l) => s.plus(l.quantity), ZERO);

/** What the product owns (on hand + in transit) and what that is worth: V is a sum over events. */
export interface Valuation {
  readonly owned: string;
  readonly value: string;
}

const COST_DECIMALS = 8;

/** The moving weighted-average unit cost; the standard cost while nothing is owned. */
export function averageCost(v: Valuation, standardCost: string): Decimal {
  const owned = decimal(v.owned);
  return owned.gt(ZERO) ? decimal(v.value).div(owned).round(COST_DECIMALS) : decimal(standardCost);
}

/**
 * The value of `quantity` at the average cost. Taking everything that is owned takes
 * the whole remaining value, so rounding never leaves a value behind with no stock.
 */
export function valueAtAverage(v: Valuation, quantity: Decimal, standardCost: string): Decimal {
  if (quantity.eq(v.owned)) return decimal(v.value);
  return quantity.times(averageCost(v, standardCost)).round(COST_DECIMALS);
}

export const revalue = (v: Valuation, quantity: Decimal, value: Decimal): Valuation => ({
  owned: decimal(v.owned).plus(quantity).toString(),
  value: decimal(v.value).plus(value).toString(),
});
