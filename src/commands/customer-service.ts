// Customer commands, decided from the customer's stream alone. `ifRevision` is the
// HTTP If-Match: the handler refuses a stale one (412) after "not found" (404).
import type { AddressLines } from '../events/customer.js';
import { streams } from '../events/streams.js';
import type { EventStore } from '../eventstore/port.js';
import { newId, type CommandContext } from './context.js';
import { customer, type CustomerCommand, type CustomerDetails, type NewAddress } from './customer.js';
import { DomainError } from './errors.js';
import { handlerFor, type Handled } from './handler.js';
import type { Written } from './inventory-service.js';

export type CustomerStatus = 'active' | 'archived' | 'none';

/** An address as a client gives it; its id is minted here. */
export type AddressInput = Omit<NewAddress, 'addressId'>;

export function createCustomerCommands(store: EventStore) {
  const handler = handlerFor(store, customer);

  async function onCustomer(ctx: CommandContext, customerId: string, command: CustomerCommand, ifRevision: bigint | undefined, id = customerId): Promise<Written> {
    const stream = streams.customer(ctx.tenantId, customerId);
    return written(id, stream, await handler.handle(stream, command, ctx, ifRevision === undefined ? {} : { ifRevision }));
  }

  // A command that changed nothing (the same name, a second archive) answers with the
  // position of the stream's last event: reading at it shows the state it describes.
  async function written(id: string, stream: string, handled: Handled<unknown>): Promise<Written> {
    if (handled.position) return { id, revision: handled.revision, position: handled.position };
    const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    if (!last) throw new DomainError('not-found');
    return { id, revision: last.revision, position: last.position };
  }

  return {
    /** Addresses given here follow the same default rules as ones added later. */
    async createCustomer(ctx: CommandContext, input: CustomerDetails & { addresses?: readonly AddressInput[] }): Promise<Written> {
      const customerId = newId();
      const { addresses = [], ...details } = input;
      const command: CustomerCommand = {
        type: 'RegisterCustomer',
        data: { customerId, ...details, addresses: addresses.map((a) => ({ ...a, addressId: newId() })) },
      };
      const created = await handler.handle(streams.customer(ctx.tenantId, customerId), command, ctx);
      return { id: customerId, revision: created.revision, position: created.position! };
    },

    /** Name, email, phone and note: every change of one PATCH in one append. */
    updateCustomer: (ctx: CommandContext, customerId: string, changes: Partial<CustomerDetails>, ifRevision?: bigint) =>
      onCustomer(ctx, customerId, { type: 'ReviseCustomer', data: changes }, ifRevision),

    /** Archiving twice is a no-op (DELETE is idempotent). */
    archiveCustomer: (ctx: CommandContext, customerId: string, ifRevision?: bigint) =>
      onCustomer(ctx, customerId, { type: 'ArchiveCustomer' }, ifRevision),

    /** Answers with the new address's id (and the customer's revision). */
    addCustomerAddress(ctx: CommandContext, customerId: string, address: AddressInput, ifRevision?: bigint): Promise<Written> {
      const addressId = newId();
      return onCustomer(ctx, customerId, { type: 'AddAddress', data: { ...address, addressId } }, ifRevision, addressId);
    },

    updateCustomerAddress: (ctx: CommandContext, customerId: string, addressId: string, change: Partial<AddressLines>, ifRevision?: bigint) =>
      onCustomer(ctx, customerId, { type: 'ChangeAddress', data: { ...change, addressId } }, ifRevision, addressId),

    removeCustomerAddress: (ctx: CommandContext, customerId: string, addressId: string, ifRevision?: bigint) =>
      onCustomer(ctx, customerId, { type: 'RemoveAddress', data: { addressId } }, ifRevision, addressId),

    setDefaultCustomerAddress: (ctx: CommandContext, customerId: string, addressId: string, ifRevision?: bigint) =>
      onCustomer(ctx, customerId, { type: 'SetDefaultAddress', data: { addressId } }, ifRevision, addressId),

    /**
     * For other services (a sale names its customer): the customer as its stream stands
     * now, within the caller's tenant ('none' for another tenant's id).
     */
    async customerStatus(ctx: CommandContext, customerId: string): Promise<CustomerStatus> {
      const { state } = await handler.load(streams.customer(ctx.tenantId, customerId));
      return state.status;
    },
  };
}
