// Inventory commands: products and their stock, decided from the product, SKU
// reservation, location and tenant streams.
import { normalizeSku, streams } from '../events/streams.js';
import type { EventStore, Position } from '../eventstore/port.js';
import { newId, type CommandContext } from './context.js';
import { DomainError } from './errors.js';
import { category } from './category.js';
import { handlerFor, type Handled } from './handler.js';
import { location } from './location.js';
import { product, type ProductCommand, type ProductDetails } from './product.js';
import { skuReservation } from './sku-reservation.js';
import { tenant } from './tenant.js';

type Data<T extends ProductCommand['type']> = Extract<ProductCommand, { type: T }> extends { data: infer D } ? D : never;
type Receipt = Omit<Data<'ReceiveStock'>, 'locationId'> & { locationId: string | null };

export interface Written {
  id: string;
  revision: bigint;
  position: Position;
}

export function createInventoryCommands(store: EventStore) {
  const handlers = {
    tenant: handlerFor(store, tenant),
    location: handlerFor(store, location),
    product: handlerFor(store, product),
    sku: handlerFor(store, skuReservation),
    category: handlerFor(store, category),
  };

  async function defaultLocation(tenantId: string): Promise<string> {
    const { state } = await handlers.tenant.loadSettled(streams.tenant(tenantId));
    if (state.status === 'none') throw new DomainError('not-found');
    return state.defaultLocationId;
  }

  // Settings change, so they are read as they are now.
  async function companyThreshold(tenantId: string): Promise<string> {
    const { state } = await handlers.tenant.load(streams.tenant(tenantId));
    if (state.status === 'none') throw new DomainError('not-found');
    return state.settings.lowStockThreshold;
  }

  // A location can be archived by another service or process at any time, so its
  // stream is caught up (one read of any events since the cached revision).
  async function requireLocation(ctx: CommandContext, locationId: string): Promise<void> {
    const { state } = await handlers.location.load(streams.location(ctx.tenantId, locationId));
    if (state.status === 'none') throw new DomainError('unknown-location', { locationId });
    if (state.status === 'archived') throw new DomainError('location-archived', { locationId });
  }

  async function requireCategory(ctx: CommandContext, categoryId: string | null | undefined): Promise<void> {
    if (!categoryId) return;
    const { state } = await handlers.category.load(streams.category(ctx.tenantId, categoryId));
    if (state.status !== 'active') throw new DomainError('unknown-category', { categoryId });
  }

  async function onProduct(ctx: CommandContext, productId: string, command: ProductCommand): Promise<Written> {
    return written(productId, await handlers.product.handle(streams.product(ctx.tenantId, productId), command, ctx));
  }

  // A command that changed nothing answers with the head of the log: a read at that
  // position sees everything the caller could have seen.
  async function written(id: string, done: Handled<unknown>): Promise<Written> {
    return { id, revision: done.revision, position: done.position ?? (await store.headPosition()) };
  }

  const reserveSku = (ctx: CommandContext, sku: string, productId: string) =>
    handlers.sku.handle(streams.skuReservation(ctx.tenantId, sku), { type: 'ReserveSku', data: { sku, productId } }, ctx);
  const releaseSku = (ctx: CommandContext, sku: string, productId: string) =>
    handlers.sku.handle(streams.skuReservation(ctx.tenantId, sku), { type: 'ReleaseSku', data: { sku, productId } }, ctx);

  return {
    /** Whether a SKU is free to claim (imports check every row before writing any). */
    async skuAvailable(ctx: CommandContext, sku: string): Promise<boolean> {
      const { state } = await handlers.sku.load(streams.skuReservation(ctx.tenantId, sku));
      return state.productId === null;
    },

    /** Why a location or category cannot be used, or null. */
    async refusalOf(ctx: CommandContext, refs: { locationId?: string | undefined; categoryId?: string | undefined }): Promise<string | null> {
      try {
        if (refs.locationId) await requireLocation(ctx, refs.locationId);
        await requireCategory(ctx, refs.categoryId);
        return null;
      } catch (error) {
        if (error instanceof DomainError) return error.code;
        throw error;
      }
    },

    /** On-hand stock per location and lot, from the product's stream. */
    async stockOf(ctx: CommandContext, productId: string): Promise<{ locationId: string; lot: string | null; quantity: string }[]> {
      const { state } = await handlers.product.load(streams.product(ctx.tenantId, productId));
      if (state.status === 'none') return [];
      return Object.entries(state.onHand).flatMap(([locationId, lots]) =>
        Object.entries(lots).map(([key, quantity]) => ({ locationId, lot: key === '' ? null : key, quantity })),
      );
    },

    /** A product without its own threshold takes the company's default low-stock threshold. */
    async createProduct(ctx: CommandContext, input: Omit<ProductDetails, 'minThreshold'> & { sku: string; minThreshold: string | null }): Promise<Written> {
      const productId = newId();
      await requireCategory(ctx, input.categoryId);
      const minThreshold = input.minThreshold ?? (await companyThreshold(ctx.tenantId));
      await reserveSku(ctx, input.sku, productId);
      return onProduct(ctx, productId, { type: 'CreateProduct', data: { ...input, minThreshold, productId } });
    },

    /**
     * Catalog changes, appended together. A new SKU is claimed before the product takes
     * it and the old one freed after; a change that fails gives the new one back.
     */
    async updateProduct(ctx: CommandContext, productId: string, changes: Data<'ChangeProductDetails'>, ifRevision?: bigint): Promise<Written> {
      const stream = streams.product(ctx.tenantId, productId);
      const { state: before } = await handlers.product.load(stream);
      if (before.status === 'none') throw new DomainError('not-found');
      await requireCategory(ctx, changes.categoryId);
      const claims = changes.sku !== undefined && normalizeSku(changes.sku) !== normalizeSku(before.sku);
      if (claims) await reserveSku(ctx, changes.sku!, productId);
      try {
        const done = await handlers.product.handle(stream, { type: 'ChangeProductDetails', data: changes }, ctx, ifRevision === undefined ? {} : { ifRevision });
        if (claims) await releaseSku(ctx, before.sku, productId);
        return written(productId, done);
      } catch (error) {
        if (claims) await releaseSku(ctx, changes.sku!, productId);
        throw error;
      }
    },

    async archiveProduct(ctx: CommandContext, productId: string, ifRevision?: bigint): Promise<Written> {
      const done = await handlers.product.handle(streams.product(ctx.tenantId, productId), { type: 'ArchiveProduct' }, ctx, ifRevision === undefined ? {} : { ifRevision });
      if (done.state.status !== 'none') await releaseSku(ctx, done.state.sku, productId);
      return written(productId, done);
    },

    async setLocationThreshold(ctx: CommandContext, productId: string, locationId: string, minThreshold: string | null): Promise<Written> {
      await requireLocation(ctx, locationId);
      return onProduct(ctx, productId, { type: 'SetLocationThreshold', data: { locationId, minThreshold } });
    },

    async receiveStock(ctx: CommandContext, productId: string, receipt: Receipt): Promise<Written> {
      const locationId = receipt.locationId ?? (await defaultLocation(ctx.tenantId));
      await requireLocation(ctx, locationId);
      return onProduct(ctx, productId, { type: 'ReceiveStock', data: { ...receipt, locationId } });
    },

    async adjustStock(ctx: CommandContext, productId: string, adjustment: Data<'AdjustStock'>): Promise<Written> {
      await requireLocation(ctx, adjustment.locationId);
      return onProduct(ctx, productId, { type: 'AdjustStock', data: adjustment });
    },

    async transferStock(ctx: CommandContext, productId: string, move: Omit<Data<'TransferStock'>, 'transferId'>): Promise<Written & { transferId: string }> {
      await requireLocation(ctx, move.fromLocationId);
      await requireLocation(ctx, move.toLocationId);
      const transferId = newId();
      return { ...(await onProduct(ctx, productId, { type: 'TransferStock', data: { ...move, transferId } })), transferId };
    },

    receiveTransfer(ctx: CommandContext, productId: string, transferId: string, quantity: string | null): Promise<Written> {
      return onProduct(ctx, productId, { type: 'ReceiveTransfer', data: { transferId, quantity } });
    },

    async countStock(ctx: CommandContext, productId: string, count: Data<'CountStock'>): Promise<Written> {
      await requireLocation(ctx, count.locationId);
      return onProduct(ctx, productId, { type: 'CountStock', data: count });
    },
  };
}
