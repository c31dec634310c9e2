// A SKU names at most one live product of a tenant: claimed like the login email, with
// expected revision `no_stream`, and released when its product is archived or takes
// another SKU, after which it is claimed again at the revision it was left at.
import { SkuReleased, SkuReserved, type SkuReservationEvent } from '../events/product.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';

export type SkuReservationCommand =
  | { type: 'ReserveSku'; data: { sku: string; productId: string } }
  | { type: 'ReleaseSku'; data: { sku: string; productId: string } };

export type SkuReservationState = { productId: string | null };

export const skuReservation: Decider<SkuReservationCommand, SkuReservationEvent, SkuReservationState> = {
  initialState: { productId: null },
  evolve: (_, e) => {
    switch (e.type) {
      case 'SkuReserved':
        return { productId: e.data.productId };
      case 'SkuReleased':
        return { productId: null };
    }
  },
  decide: (cmd, s) => {
    switch (cmd.type) {
      case 'ReserveSku':
        if (s.productId === cmd.data.productId) return [];
        if (s.productId) throw new DomainError('sku-taken', { sku: cmd.data.sku });
        return [SkuReserved.of(cmd.data)];
      case 'ReleaseSku':
        // Only its holder releases a SKU; a repeat is a no-op.
        return s.productId === cmd.data.productId ? [SkuReleased.of(cmd.data)] : [];
    }
  },
};
