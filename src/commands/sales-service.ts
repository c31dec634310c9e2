// Sales: the saga of DESIGN.md §5. A sale is recorded on its own stream first (the
// intent); each line then takes stock on its product's stream, with an expected
// revision, first-expiring-first-out; then the sale completes. If any line is short,
// the lines already taken are given back and the sale is rejected: nothing of it stays
// in stock. Every step's event ids derive from the sale and line, and every product
// step is a no-op once done, so the whole saga can be driven again from any point
// (the recovery sweep does, after a crash).
import { v5 as uuidv5 } from 'uuid';
import { decode, type Stored } from '../events/index.js';
import type { LotQuantity } from '../events/product.js';
import type { SaleEvent } from '../events/sale.js';
import { streams } from '../events/streams.js';
import { decimal } from '../events/values.js';
import { comparePositions, type EventStore, type Position } from '../eventstore/port.js';
import { newId, type CommandContext } from './context.js';
import { fold } from './decider.js';
import { DomainError } from './errors.js';
import { handlerFor } from './handler.js';
import { location } from './location.js';
import { product } from './product.js';
import { saleLineKey } from './product-state.js';
import { lotsToReturn, sale, type SaleState } from './sale.js';

// Any fixed namespace will do: it only has to be the same in every process.
const STEP_IDS = '6f1c3c62-9a0e-4d0e-8a57-5b8a4d1f7c21';
const stepId = (...parts: (string | number)[]) => (index: number) => uuidv5(`${parts.join(':')}:${index}`, STEP_IDS);

export interface SaleInput {
  customerId: string | null;
  locationId: string;
  lines: { productId: string; quantity: string; unitPrice: string | null }[];
}

export interface ShortLine {
  line: number;
  productId: string;
  requested: string;
  available: string;
}

export type SaleOutcome =
  | { status: 'completed'; saleId: string; revision: bigint; position: Position }
  | { status: 'rejected'; saleId: string; shortLines: ShortLine[]; position: Position };

type Active = Exclude<SaleState, { status: 'none' }>;

export interface ReturnInput {
  restock: boolean;
  locationId: string | null;
  items: { productId: string; quantity: string }[];
}

export function createSalesCommands(store: EventStore, options: { customerStatus?: (ctx: CommandContext, customerId: string) => Promise<string> } = {}) {
  const handlers = {
    sale: handlerFor(store, sale),
    product: handlerFor(store, product),
    location: handlerFor(store, location),
  };
  const saleStream = (ctx: CommandContext, saleId: string) => streams.sale(ctx.tenantId, saleId);
  const productStream = (ctx: CommandContext, productId: string) => streams.product(ctx.tenantId, productId);

  async function loadSale(ctx: CommandContext, saleId: string): Promise<Active> {
    const { state } = await handlers.sale.load(saleStream(ctx, saleId));
    if (state.status === 'none') throw new DomainError('not-found');
    return state;
  }

  /** Takes one line's stock: what it took, or how much was available instead. */
  async function takeLine(ctx: CommandContext, s: Active, l: Active['lines'][number]): Promise<{ lots: LotQuantity[]; cost: string } | { available: string }> {
    try {
      const done = await handlers.product.handle(
        productStream(ctx, l.productId),
        { type: 'SellStock', data: { saleId: s.saleId, line: l.line, locationId: s.locationId, quantity: l.quantity, unitPrice: l.unitPrice } },
        ctx,
        { eventIds: stepId(s.saleId, l.line, 'sold') },
      );
      const served = done.state.status === 'none' ? undefined : done.state.served.get(saleLineKey(s.saleId, l.line));
      return !served || served.reversed ? { available: '0' } : { lots: [...served.lots], cost: decimal(served.value).neg().toString() };
    } catch (error) {
      if (!(error instanceof DomainError) || !['insufficient-stock', 'product-archived', 'not-found'].includes(error.code)) throw error;
      return { available: error.code === 'insufficient-stock' ? String(error.details.available) : '0' };
    }
  }

  /**
   * Takes every line, then settles the outcome on the sale's stream before acting on it:
   * completed, or rejected and every line given back. Two drives of one sale (a live one
   * and a recovery) therefore agree: whichever records the outcome first decides it, and
   * the other follows. A line given back before is never taken again.
   */
  async function drive(ctx: CommandContext, s: Active): Promise<SaleOutcome> {
    const taken: { line: number; lots: LotQuantity[]; cost: string }[] = [];
    const shortLines: ShortLine[] = [];
    for (const l of s.lines) {
      const result = await takeLine(ctx, s, l);
      if ('available' in result) shortLines.push({ line: l.line, productId: l.productId, requested: l.quantity, available: result.available });
      else taken.push({ line: l.line, ...result });
    }
    const stream = saleStream(ctx, s.saleId);
    const settled =
      shortLines.length === 0
        ? await handlers.sale.handle(stream, { type: 'CompleteSale', data: { lines: taken } }, ctx, { eventIds: stepId(s.saleId, 'completed') })
        : await handlers.sale.handle(stream, { type: 'RejectSale', data: { shortLines } }, ctx, { eventIds: stepId(s.saleId, 'rejected') });
    let position = settled.position ?? (await store.headPosition());
    if (settled.state.status === 'completed') return { status: 'completed', saleId: s.saleId, revision: settled.revision, position };
    // The answer carries the position of the last thing written, the stock given back
    // included: a read at it sees the stock as it is after the rejection.
    for (const l of s.lines) {
      const given = await handlers.product.handle(productStream(ctx, l.productId), { type: 'ReverseSaleLine', data: { saleId: s.saleId, line: l.line } }, ctx, {
        eventIds: stepId(s.saleId, l.line, 'reversed'),
      });
      if (given.position && comparePositions(given.position, position) > 0) position = given.position;
    }
    return { status: 'rejected', saleId: s.saleId, shortLines, position };
  }

  /** Records the sale's intent: what the saga will then carry out. */
  async function start(ctx: CommandContext, input: SaleInput): Promise<Active> {
    const { state: place } = await handlers.location.load(streams.location(ctx.tenantId, input.locationId));
    if (place.status === 'none') throw new DomainError('unknown-location', { locationId: input.locationId });
    if (place.status === 'archived') throw new DomainError('location-archived', { locationId: input.locationId });
    if (input.customerId && options.customerStatus && (await options.customerStatus(ctx, input.customerId)) !== 'active') {
      throw new DomainError('unknown-customer', { customerId: input.customerId });
    }
    const lines = [];
    for (const l of input.lines) {
      const { state: item } = await handlers.product.load(productStream(ctx, l.productId));
      if (item.status === 'none') throw new DomainError('not-found', { productId: l.productId });
      if (item.status === 'archived') throw new DomainError('product-archived', { productId: l.productId });
      if (decimal(l.quantity).lte(0)) throw new DomainError('invalid-quantity', { quantity: Number(l.quantity) });
      lines.push({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice ?? item.price });
    }
    const saleId = newId();
    const done = await handlers.sale.handle(saleStream(ctx, saleId), { type: 'StartSale', data: { saleId, customerId: input.customerId, locationId: input.locationId, lines } }, ctx, {
      newStream: true,
    });
    return done.state as Active;
  }

  return {
    /** The steps of the saga, for tests that stop half-way. */
    saleSaga: { start, takeLine, drive, loadSale, recordReturn },

    async placeSale(ctx: CommandContext, input: SaleInput): Promise<SaleOutcome> {
      return drive(ctx, await start(ctx, input));
    },

    /** Drives a sale left half-way to an end; a finished sale is left as it is. */
    async resumeSale(ctx: CommandContext, saleId: string): Promise<SaleOutcome | null> {
      const s = await loadSale(ctx, saleId);
      return s.status === 'pending' ? drive(ctx, s) : null;
    },

    async returnItems(ctx: CommandContext, saleId: string, input: ReturnInput) {
      const recorded = await recordReturn(ctx, saleId, input);
      if (input.restock) await restock(ctx, recorded.before, recorded.returnId, recorded.locationId, diff(recorded.before, recorded.after));
      return { saleId, returnId: recorded.returnId, revision: recorded.revision, position: recorded.position ?? (await store.headPosition()) };
    },

    /**
     * Puts back in stock what a return or void gave back, if the process that recorded
     * it died before it did; lines already back are left alone. How many it put back.
     */
    async resumeRestock(ctx: CommandContext, saleId: string, returnId: string): Promise<number> {
      const events = (await store.readStream(saleStream(ctx, saleId))).map((r) => decode(r) as Stored<SaleEvent> | null).filter((e) => e !== null);
      const at = events.findIndex((e) => (e.type === 'SaleReturned' || e.type === 'SaleVoided') && e.data.returnId === returnId);
      const e = events[at];
      if (!e || (e.type === 'SaleReturned' && !e.data.restock)) return 0;
      // The sale as the return found it, and as it left it: the difference goes back.
      const before = fold(sale, events.slice(0, at));
      const after = sale.evolve(before, e);
      if (before.status === 'none' || after.status === 'none') return 0;
      return restock(ctx, before, returnId, (e.type === 'SaleReturned' ? e.data.locationId : null) ?? before.locationId, diff(before, after));
    },

    async voidSale(ctx: CommandContext, saleId: string) {
      const before = await loadSale(ctx, saleId);
      const returnId = uuidv5(`${saleId}:void`, STEP_IDS);
      const done = await handlers.sale.handle(saleStream(ctx, saleId), { type: 'VoidSale', data: { returnId } }, ctx);
      if (done.state.status !== 'none') await restock(ctx, before, returnId, before.locationId, diff(before, done.state));
      return { saleId, returnId, revision: done.revision, position: done.position ?? (await store.headPosition()) };
    },
  };

  /** The return on the sale's stream: what restock then puts back. */
  async function recordReturn(ctx: CommandContext, saleId: string, input: ReturnInput) {
    const returnId = newId();
    const before = await loadSale(ctx, saleId);
    const locationId = input.locationId ?? before.locationId;
    const done = await handlers.sale.handle(saleStream(ctx, saleId), { type: 'ReturnItems', data: { returnId, ...input, locationId } }, ctx);
    // The decider answers an active sale or throws.
    const after = done.state as Active;
    return { returnId, before, after, locationId, revision: done.revision, position: done.position };
  }

  /** What each line gave back between two states of the sale. */
  function diff(before: Active, after: Active): { line: number; quantity: string; cost: string }[] {
    return after.lines
      .map((l) => ({ line: l.line, quantity: decimal(l.returned).minus(before.lines[l.line]!.returned).toString(), cost: decimal(l.returnedCost).minus(before.lines[l.line]!.returnedCost).toString() }))
      .filter((l) => decimal(l.quantity).gt(0));
  }

  /** Puts each line back in stock (a line already back is left alone); how many it put back. */
  async function restock(ctx: CommandContext, before: Active, returnId: string, locationId: string, back: { line: number; quantity: string; cost: string }[]) {
    let restocked = 0;
    for (const b of back) {
      const line = before.lines[b.line]!;
      const done = await handlers.product.handle(
        productStream(ctx, line.productId),
        { type: 'ReturnStock', data: { saleId: before.saleId, returnId, line: b.line, locationId, quantity: b.quantity, value: b.cost, lots: lotsToReturn(line, b.quantity) } },
        ctx,
        { eventIds: stepId(returnId, b.line, 'returned') },
      );
      if (done.position) restocked++;
    }
    return restocked;
  }
}
