// The sale aggregate's events. A sale is recorded first (the intent), each line then
// takes stock on its product's stream, and the sale ends completed or rejected.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { LotQuantity } from './product.js';
import { Id, Money, Quantity } from './values.js';

const Line = z.number().int().min(0);

export const SaleStarted = event(
  'SaleStarted',
  z.object({
    saleId: Id,
    customerId: Id.nullable(),
    locationId: Id,
    lines: z.array(z.object({ line: Line, productId: Id, quantity: Quantity, unitPrice: Money })).min(1),
    /** Σ quantity × unit price, exact. */
    total: Money,
  }),
);

export const SaleCompleted = event(
  'SaleCompleted',
  z.object({
    saleId: Id,
    lines: z.array(z.object({ line: Line, productId: Id, lots: z.array(LotQuantity), cost: Money })),
    revenue: Money,
    /** Cost of the goods sold, from the inventory valuation. */
    cost: Money,
  }),
);

export const SaleRejected = event(
  'SaleRejected',
  z.object({ saleId: Id, shortLines: z.array(z.object({ line: Line, productId: Id, requested: Quantity, available: Quantity })) }),
);

/** Goods brought back: restocked at a location, or written off (restock false). */
export const SaleReturned = event(
  'SaleReturned',
  z.object({
    saleId: Id,
    returnId: Id,
    restock: z.boolean(),
    locationId: Id.nullable(),
    lines: z.array(z.object({ line: Line, productId: Id, quantity: Quantity, refund: Money, cost: Money })).min(1),
  }),
);

/** The whole sale reversed: what was not yet returned goes back on the shelf. */
export const SaleVoided = event(
  'SaleVoided',
  z.object({
    saleId: Id,
    returnId: Id,
    lines: z.array(z.object({ line: Line, productId: Id, quantity: Quantity, refund: Money, cost: Money })),
  }),
);

export const saleEvents = [SaleStarted, SaleCompleted, SaleRejected, SaleReturned, SaleVoided] as const;
export type SaleEvent = EventOf<(typeof saleEvents)[number]>;
