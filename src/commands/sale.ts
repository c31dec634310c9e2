// The sale aggregate: the intent (started), its end (completed or rejected), and what
// came back later (returns, a void), each at most what was sold and not yet returned.
import type { LotQuantity } from '../events/product.js';
import { SaleCompleted, SaleRejected, SaleReturned, SaleStarted, SaleVoided, type SaleEvent } from '../events/sale.js';
import { ZERO, decimal, type Decimal } from '../events/values.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';
import { sumOf, takeInOrder } from './stock.js';

export interface SaleLine {
  readonly line: number;
  readonly productId: string;
  readonly quantity: string;
  readonly unitPrice: string;
  /** Once completed: the lots the line took and what they cost. */
  readonly lots: readonly LotQuantity[];
  readonly cost: string;
  readonly returned: string;
  readonly returnedCost: string;
}

export type SaleState =
  | { readonly status: 'none' }
  | {
      readonly status: 'pending' | 'completed' | 'rejected' | 'voided';
      readonly saleId: string;
      readonly customerId: string | null;
      readonly locationId: string;
      readonly lines: readonly SaleLine[];
    };

export type SaleCommand =
  | { type: 'StartSale'; data: { saleId: string; customerId: string | null; locationId: string; lines: { productId: string; quantity: string; unitPrice: string }[] } }
  | { type: 'CompleteSale'; data: { lines: { line: number; lots: LotQuantity[]; cost: string }[] } }
  | { type: 'RejectSale'; data: { shortLines: { line: number; productId: string; requested: string; available: string }[] } }
  | { type: 'ReturnItems'; data: { returnId: string; restock: boolean; locationId: string | null; items: { productId: string; quantity: string }[] } }
  | { type: 'VoidSale'; data: { returnId: string } };

/** Part of a line going back: quantity, refund at the line's price, and cost at what it left with. */
function giveBack(line: SaleLine, quantity: Decimal) {
  const left = decimal(line.quantity).minus(line.returned);
  const costLeft = decimal(line.cost).minus(line.returnedCost);
  // The last units carry exactly the cost that is left, so no rounding residue remains.
  const cost = quantity.eq(left) ? costLeft : quantity.times(line.cost).div(line.quantity).round(8);
  return { line: line.line, productId: line.productId, quantity: quantity.toString(), refund: quantity.times(line.unitPrice).toString(), cost: cost.toString() };
}

function allocateReturn(lines: readonly SaleLine[], items: { productId: string; quantity: string }[]) {
  const taken = new Map<number, Decimal>();
  const out: ReturnType<typeof giveBack>[] = [];
  for (const item of items) {
    let remaining = decimal(item.quantity);
    if (remaining.lte(ZERO)) throw new DomainError('invalid-quantity', { quantity: Number(item.quantity) });
    const ofProduct = lines.filter((l) => l.productId === item.productId);
    const returnable = ofProduct.reduce((sum, l) => sum.plus(decimal(l.quantity).minus(l.returned).minus(taken.get(l.line) ?? ZERO)), ZERO);
    if (remaining.gt(returnable)) throw new DomainError('return-exceeds-sale', { productId: item.productId, returnable: Number(returnable.toString()) });
    for (const l of ofProduct) {
      const already = taken.get(l.line) ?? ZERO;
      const left = decimal(l.quantity).minus(l.returned).minus(already);
      if (remaining.lte(ZERO) || left.lte(ZERO)) continue;
      const q = left.lt(remaining) ? left : remaining;
      taken.set(l.line, already.plus(q));
      remaining = remaining.minus(q);
    }
  }
  for (const l of lines) if (taken.has(l.line)) out.push(giveBack(l, taken.get(l.line)!));
  return out;
}

/** The lots a returned part goes back to: those the line took, not yet given back. */
export function lotsToReturn(line: SaleLine, quantity: string): LotQuantity[] {
  const remaining = takeInOrder(line.lots, sumOf(line.lots)).map((l) => ({ ...l }));
  let skip = decimal(line.returned);
  for (const lot of remaining) {
    const drop = decimal(lot.quantity).lt(skip) ? decimal(lot.quantity) : skip;
    lot.quantity = decimal(lot.quantity).minus(drop).toString();
    skip = skip.minus(drop);
  }
  return takeInOrder(remaining, decimal(quantity));
}

export const sale: Decider<SaleCommand, SaleEvent, SaleState> = {
  initialState: { status: 'none' },

  evolve: (s, e) => {
    if (e.type === 'SaleStarted') {
      const { saleId, customerId, locationId } = e.data;
      const lines = e.data.lines.map((l) => ({ ...l, lots: [], cost: '0', returned: '0', returnedCost: '0' }));
      return { status: 'pending', saleId, customerId, locationId, lines };
    }
    if (s.status === 'none') return s;
    switch (e.type) {
      case 'SaleCompleted':
        return {
          ...s,
          status: 'completed',
          lines: s.lines.map((l) => {
            const done = e.data.lines.find((d) => d.line === l.line);
            return done ? { ...l, lots: done.lots, cost: done.cost } : l;
          }),
        };
      case 'SaleRejected':
        return { ...s, status: 'rejected' };
      case 'SaleReturned':
      case 'SaleVoided':
        return {
          ...s,
          status: e.type === 'SaleVoided' ? 'voided' : s.status,
          lines: s.lines.map((l) => {
            const back = e.data.lines.find((d) => d.line === l.line);
            if (!back) return l;
            return { ...l, returned: decimal(l.returned).plus(back.quantity).toString(), returnedCost: decimal(l.returnedCost).plus(back.cost).toString() };
          }),
        };
    }
  },

  decide: (cmd, s) => {
    if (cmd.type === 'StartSale') {
      if (s.status !== 'none') throw new DomainError('already-exists');
      const lines = cmd.data.lines.map((l, line) => ({ line, ...l }));
      const total = lines.reduce((sum, l) => sum.plus(decimal(l.quantity).times(l.unitPrice)), ZERO);
      return [SaleStarted.of({ saleId: cmd.data.saleId, customerId: cmd.data.customerId, locationId: cmd.data.locationId, lines, total: total.toString() })];
    }
    if (s.status === 'none') throw new DomainError('not-found');
    switch (cmd.type) {
      // Completing or rejecting again is a repeated saga step: nothing more to record.
      case 'CompleteSale': {
        if (s.status !== 'pending') return [];
        const revenue = s.lines.reduce((sum, l) => sum.plus(decimal(l.quantity).times(l.unitPrice)), ZERO);
        const cost = cmd.data.lines.reduce((sum, l) => sum.plus(l.cost), ZERO);
        const lines = cmd.data.lines.map((l) => ({ ...l, productId: s.lines[l.line]!.productId }));
        return [SaleCompleted.of({ saleId: s.saleId, lines, revenue: revenue.toString(), cost: cost.toString() })];
      }
      case 'RejectSale':
        return s.status === 'pending' ? [SaleRejected.of({ saleId: s.saleId, shortLines: cmd.data.shortLines })] : [];
      case 'ReturnItems': {
        if (s.status !== 'completed') throw new DomainError('sale-not-completed', { status: s.status });
        const lines = allocateReturn(s.lines, cmd.data.items);
        return [SaleReturned.of({ saleId: s.saleId, returnId: cmd.data.returnId, restock: cmd.data.restock, locationId: cmd.data.locationId, lines })];
      }
      case 'VoidSale': {
        if (s.status === 'voided') return [];
        if (s.status !== 'completed') throw new DomainError('sale-not-completed', { status: s.status });
        const lines = s.lines.filter((l) => decimal(l.quantity).gt(l.returned)).map((l) => giveBack(l, decimal(l.quantity).minus(l.returned)));
        return [SaleVoided.of({ saleId: s.saleId, returnId: cmd.data.returnId, lines })];
      }
    }
  },
};
