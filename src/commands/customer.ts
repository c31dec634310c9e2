// The customer aggregate: name, contact, note and addresses. Each kind of address
// (shipping, billing, other) has exactly one default while it has any address at all:
// the first of a kind becomes it, a new default replaces the old, and removing the
// default hands it to the earliest-added address left of that kind.
import {
  CustomerAddressAdded,
  CustomerAddressChanged,
  CustomerAddressRemoved,
  CustomerArchived,
  CustomerContactChanged,
  CustomerDefaultAddressSet,
  CustomerNoteChanged,
  CustomerRegistered,
  CustomerRenamed,
  type AddressKind,
  type AddressLines,
  type CustomerEvent,
} from '../events/customer.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';

export interface Address extends AddressLines {
  readonly addressId: string;
  readonly kind: AddressKind;
  readonly isDefault: boolean;
}

/** An address to add; `makeDefault` asks for it to be its kind's default even if it is not the first. */
export interface NewAddress extends AddressLines {
  readonly addressId: string;
  readonly kind: AddressKind;
  readonly makeDefault: boolean;
}

export interface CustomerDetails {
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly note: string | null;
}

// If-Match is the handler's `ifRevision` (every event of a customer stream is a
// customer event, so the stream revision is the customer's).
export type CustomerCommand =
  | { type: 'RegisterCustomer'; data: CustomerDetails & { customerId: string; addresses: readonly NewAddress[] } }
  /** Any of name, email, phone and note, decided and appended together (one PATCH). */
  | { type: 'ReviseCustomer'; data: Partial<CustomerDetails> }
  | { type: 'ArchiveCustomer' }
  | { type: 'AddAddress'; data: NewAddress }
  | { type: 'ChangeAddress'; data: { addressId: string } & Partial<AddressLines> }
  | { type: 'RemoveAddress'; data: { addressId: string } }
  | { type: 'SetDefaultAddress'; data: { addressId: string } };

export type CustomerState =
  | { status: 'none' }
  | (CustomerDetails & {
      status: 'active' | 'archived';
      customerId: string;
      /** In the order they were added: promotion of a new default follows it. */
      addresses: readonly Address[];
    });

type Existing = Exclude<CustomerState, { status: 'none' }>;

function active(s: CustomerState): Existing {
  if (s.status === 'none') throw new DomainError('not-found');
  if (s.status === 'archived') throw new DomainError('customer-archived', { customerId: s.customerId });
  return s;
}

function addressOf(s: Existing, addressId: string): Address {
  const found = s.addresses.find((a) => a.addressId === addressId);
  if (!found) throw new DomainError('unknown-address', { addressId });
  return found;
}

const linesOf = ({ line1, line2, city, postalCode, region, country }: AddressLines): AddressLines => ({ line1, line2, city, postalCode, region, country });
const lineKeys: readonly (keyof AddressLines)[] = ['line1', 'line2', 'city', 'postalCode', 'region', 'country'];

/** The lines after a change: a field left out stays as it was, null clears it. */
function changedLines(before: AddressLines, change: Partial<AddressLines>): AddressLines {
  const keep = <K extends keyof AddressLines>(key: K): AddressLines[K] => {
    const value = change[key];
    return value === undefined ? before[key] : (value as AddressLines[K]);
  };
  return { line1: keep('line1'), line2: keep('line2'), city: keep('city'), postalCode: keep('postalCode'), region: keep('region'), country: keep('country') };
}

function addAddress(s: Existing, a: NewAddress): CustomerEvent[] {
  if (s.addresses.some((x) => x.addressId === a.addressId)) throw new DomainError('already-exists', { addressId: a.addressId });
  const first = !s.addresses.some((x) => x.kind === a.kind);
  const added = CustomerAddressAdded.of({ customerId: s.customerId, addressId: a.addressId, kind: a.kind, ...linesOf(a), isDefault: first });
  if (first || !a.makeDefault) return [added];
  return [added, CustomerDefaultAddressSet.of({ customerId: s.customerId, addressId: a.addressId, kind: a.kind })];
}

function revise(s: Existing, data: Partial<CustomerDetails>): CustomerEvent[] {
  const { customerId } = s;
  const events: CustomerEvent[] = [];
  if (data.name !== undefined && data.name !== s.name) events.push(CustomerRenamed.of({ customerId, name: data.name }));
  const email = data.email === undefined ? s.email : data.email;
  const phone = data.phone === undefined ? s.phone : data.phone;
  if (email !== s.email || phone !== s.phone) events.push(CustomerContactChanged.of({ customerId, email, phone }));
  if (data.note !== undefined && data.note !== s.note) events.push(CustomerNoteChanged.of({ customerId, note: data.note }));
  return events;
}

const evolve = (s: CustomerState, e: CustomerEvent): CustomerState => {
  if (e.type === 'CustomerRegistered') return { status: 'active', ...e.data, addresses: [] };
  if (s.status === 'none') return s;
  switch (e.type) {
    case 'CustomerRenamed':
      return { ...s, name: e.data.name };
    case 'CustomerContactChanged':
      return { ...s, email: e.data.email, phone: e.data.phone };
    case 'CustomerNoteChanged':
      return { ...s, note: e.data.note };
    case 'CustomerAddressAdded': {
      const { customerId: _, ...address } = e.data;
      return { ...s, addresses: [...s.addresses, address] };
    }
    case 'CustomerAddressChanged':
      return { ...s, addresses: s.addresses.map((a) => (a.addressId === e.data.addressId ? { ...a, ...linesOf(e.data) } : a)) };
    case 'CustomerAddressRemoved':
      return { ...s, addresses: s.addresses.filter((a) => a.addressId !== e.data.addressId) };
    case 'CustomerDefaultAddressSet':
      return {
        ...s,
        addresses: s.addresses.map((a) => (a.kind === e.data.kind ? { ...a, isDefault: a.addressId === e.data.addressId } : a)),
      };
    case 'CustomerArchived':
      return { ...s, status: 'archived' };
  }
};

export const customer: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: { status: 'none' },
  evolve,
  decide: (cmd, s) => {
    switch (cmd.type) {
      case 'RegisterCustomer': {
        if (s.status !== 'none') throw new DomainError('already-exists');
        const { addresses, ...details } = cmd.data;
        // Addresses given with the customer follow the same rules as ones added later.
        const events: CustomerEvent[] = [CustomerRegistered.of(details)];
        let state = evolve(s, events[0]!);
        for (const address of addresses) {
          const added = addAddress(state as Existing, address);
          state = added.reduce(evolve, state);
          events.push(...added);
        }
        return events;
      }
      case 'ReviseCustomer':
        return revise(active(s), cmd.data);
      case 'ArchiveCustomer': {
        if (s.status === 'none') throw new DomainError('not-found');
        // Archiving twice is not an error: DELETE is idempotent, and nothing is appended.
        return s.status === 'archived' ? [] : [CustomerArchived.of({ customerId: s.customerId })];
      }
      case 'AddAddress':
        return addAddress(active(s), cmd.data);
      case 'ChangeAddress': {
        const c = active(s);
        const { addressId, ...change } = cmd.data;
        const before = linesOf(addressOf(c, addressId));
        const after = changedLines(before, change);
        if (lineKeys.every((k) => after[k] === before[k])) return [];
        return [CustomerAddressChanged.of({ customerId: c.customerId, addressId, ...after })];
      }
      case 'RemoveAddress': {
        const c = active(s);
        const removed = addressOf(c, cmd.data.addressId);
        const events: CustomerEvent[] = [CustomerAddressRemoved.of({ customerId: c.customerId, addressId: removed.addressId, kind: removed.kind })];
        const heir = removed.isDefault ? c.addresses.find((a) => a.kind === removed.kind && a.addressId !== removed.addressId) : undefined;
        if (heir) events.push(CustomerDefaultAddressSet.of({ customerId: c.customerId, addressId: heir.addressId, kind: heir.kind }));
        return events;
      }
      case 'SetDefaultAddress': {
        const c = active(s);
        const address = addressOf(c, cmd.data.addressId);
        return address.isDefault ? [] : [CustomerDefaultAddressSet.of({ customerId: c.customerId, addressId: address.addressId, kind: address.kind })];
      }
    }
  },
};
