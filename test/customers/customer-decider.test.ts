import { randomUUID } from 'node:crypto';
import t from 'tap';
import { customer, type CustomerCommand, type NewAddress } from '../../src/commands/customer.js';
import { fold } from '../../src/commands/decider.js';
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
  isCountryCode,
  type AddressKind,
  type AddressLines,
} from '../../src/events/customer.js';
import { spec } from '../support/spec.js';

const { given } = spec(customer);
const customerId = randomUUID();
const [home, office, warehouse, billing] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const lines: AddressLines = { line1: '1 Main St', line2: null, city: 'Springfield', postalCode: '12345', region: null, country: 'US' };

const registered = CustomerRegistered.of({ customerId, name: 'Ann Lee', email: 'ann@example.test', phone: '+1 555 0100', note: null });
const archived = CustomerArchived.of({ customerId });
const added = (addressId: string, kind: AddressKind, isDefault: boolean, more: Partial<AddressLines> = {}) =>
  CustomerAddressAdded.of({ customerId, addressId, kind, ...lines, ...more, isDefault });
const defaultSet = (addressId: string, kind: AddressKind) => CustomerDefaultAddressSet.of({ customerId, addressId, kind });
const newAddress = (addressId: string, kind: AddressKind, makeDefault = false, more: Partial<AddressLines> = {}): NewAddress => ({
  addressId,
  kind,
  ...lines,
  ...more,
  makeDefault,
});

const register = (addresses: NewAddress[] = []): CustomerCommand => ({
  type: 'RegisterCustomer',
  data: { customerId, name: 'Ann Lee', email: 'ann@example.test', phone: '+1 555 0100', note: null, addresses },
});
const revise = (data: Extract<CustomerCommand, { type: 'ReviseCustomer' }>['data']): CustomerCommand => ({ type: 'ReviseCustomer', data });
const add = (address: NewAddress): CustomerCommand => ({ type: 'AddAddress', data: address });
const change = (addressId: string, data: Partial<AddressLines>): CustomerCommand => ({ type: 'ChangeAddress', data: { addressId, ...data } });
const remove = (addressId: string): CustomerCommand => ({ type: 'RemoveAddress', data: { addressId } });
const makeDefault = (addressId: string): CustomerCommand => ({ type: 'SetDefaultAddress', data: { addressId } });
const archive: CustomerCommand = { type: 'ArchiveCustomer' };

t.test('a customer is registered once', async (t) => {
  given([]).when(register()).then(t, [registered]);
  given([registered]).when(register()).thenThrows(t, 'already-exists');
});

t.test('addresses given at registration follow the default rules', async (t) => {
  given([])
    .when(register([newAddress(home, 'shipping'), newAddress(office, 'shipping', true), newAddress(billing, 'billing')]))
    .then(t, [registered, added(home, 'shipping', true), added(office, 'shipping', false), defaultSet(office, 'shipping'), added(billing, 'billing', true)]);
});

t.test('a revision appends one event per thing that changed, together', async (t) => {
  given([registered])
    .when(revise({ name: 'Ann Lee-Park', email: 'ann@park.test', note: 'VIP' }))
    .then(t, [
      CustomerRenamed.of({ customerId, name: 'Ann Lee-Park' }),
      CustomerContactChanged.of({ customerId, email: 'ann@park.test', phone: '+1 555 0100' }),
      CustomerNoteChanged.of({ customerId, note: 'VIP' }),
    ]);
  given([registered])
    .when(revise({ phone: null }))
    .then(t, [CustomerContactChanged.of({ customerId, email: 'ann@example.test', phone: null })]); // contact carries both, as they are now
  given([registered]).when(revise({ name: 'Ann Lee', email: 'ann@example.test', phone: '+1 555 0100', note: null })).then(t, []);
  given([registered]).when(revise({})).then(t, []);
  given([]).when(revise({ name: 'X' })).thenThrows(t, 'not-found');
  given([registered, archived]).when(revise({ name: 'X' })).thenThrows(t, 'customer-archived', { customerId });
});

t.test('archiving keeps the customer and is idempotent', async (t) => {
  given([registered]).when(archive).then(t, [archived]);
  given([registered, archived]).when(archive).then(t, []);
  given([]).when(archive).thenThrows(t, 'not-found');
  const s = fold(customer, [registered, archived]);
  t.match(s, { status: 'archived', name: 'Ann Lee' });
});

t.test('the first address of a kind is its default; later ones are not unless asked', async (t) => {
  given([registered]).when(add(newAddress(home, 'shipping'))).then(t, [added(home, 'shipping', true)]);
  given([registered, added(home, 'shipping', true)]).when(add(newAddress(office, 'shipping'))).then(t, [added(office, 'shipping', false)]);
  given([registered, added(home, 'shipping', true)])
    .when(add(newAddress(billing, 'billing')))
    .then(t, [added(billing, 'billing', true)]); // each kind has its own default
  given([registered, added(home, 'shipping', true)])
    .when(add(newAddress(office, 'shipping', true)))
    .then(t, [added(office, 'shipping', false), defaultSet(office, 'shipping')]); // asked: it replaces the old default
  given([registered]).when(add(newAddress(home, 'other', true))).then(t, [added(home, 'other', true)]); // first anyway: no second event
});

t.test('address commands need an active customer and a known address', async (t) => {
  const withHome = [registered, added(home, 'shipping', true)];
  given([]).when(add(newAddress(home, 'shipping'))).thenThrows(t, 'not-found');
  given([registered, archived]).when(add(newAddress(home, 'shipping'))).thenThrows(t, 'customer-archived');
  given([...withHome, archived]).when(change(home, { city: 'Shelbyville' })).thenThrows(t, 'customer-archived');
  given([...withHome, archived]).when(remove(home)).thenThrows(t, 'customer-archived');
  given([...withHome, archived]).when(makeDefault(home)).thenThrows(t, 'customer-archived');
  given(withHome).when(add(newAddress(home, 'billing'))).thenThrows(t, 'already-exists', { addressId: home });
  const unknown = randomUUID();
  given(withHome).when(change(unknown, { city: 'X' })).thenThrows(t, 'unknown-address', { addressId: unknown });
  given(withHome).when(remove(unknown)).thenThrows(t, 'unknown-address', { addressId: unknown });
  given(withHome).when(makeDefault(unknown)).thenThrows(t, 'unknown-address', { addressId: unknown });
  given([...withHome, CustomerAddressRemoved.of({ customerId, addressId: home, kind: 'shipping' })])
    .when(change(home, { city: 'X' }))
    .thenThrows(t, 'unknown-address'); // a removed address is gone
});

t.test('a change records the whole address as it reads after; no change, no event', async (t) => {
  const withHome = [registered, added(home, 'shipping', true)];
  given(withHome)
    .when(change(home, { line2: 'Apt 4', postalCode: null }))
    .then(t, [CustomerAddressChanged.of({ customerId, addressId: home, ...lines, line2: 'Apt 4', postalCode: null })]);
  given(withHome).when(change(home, { city: 'Springfield', country: 'US' })).then(t, []);
  given(withHome).when(change(home, {})).then(t, []);
  const s = fold(customer, [...withHome, CustomerAddressChanged.of({ customerId, addressId: home, ...lines, city: 'Shelbyville' })]);
  t.match(s, { addresses: [{ addressId: home, city: 'Shelbyville', kind: 'shipping', isDefault: true }] }, 'kind and default stay');
});

t.test('setting a default replaces the old one of that kind only', async (t) => {
  const history = [registered, added(home, 'shipping', true), added(office, 'shipping', false), added(billing, 'billing', true)];
  given(history).when(makeDefault(office)).then(t, [defaultSet(office, 'shipping')]);
  given(history).when(makeDefault(home)).then(t, []); // already the default
  const s = fold(customer, [...history, defaultSet(office, 'shipping')]);
  t.same(
    s.status === 'none' ? [] : s.addresses.map((a) => [a.addressId, a.isDefault]),
    [
      [home, false],
      [office, true],
      [billing, true],
    ],
  );
});

t.test('removing a default promotes the earliest-added address left of its kind', async (t) => {
  const history = [
    registered,
    added(home, 'shipping', true),
    added(billing, 'billing', true),
    added(office, 'shipping', false),
    added(warehouse, 'shipping', false),
  ];
  const removed = (addressId: string, kind: AddressKind) => CustomerAddressRemoved.of({ customerId, addressId, kind });
  given(history).when(remove(home)).then(t, [removed(home, 'shipping'), defaultSet(office, 'shipping')]);
  given([...history, defaultSet(warehouse, 'shipping')])
    .when(remove(warehouse))
    .then(t, [removed(warehouse, 'shipping'), defaultSet(home, 'shipping')]); // order added, not order made default
  given(history).when(remove(office)).then(t, [removed(office, 'shipping')]); // not the default: nothing to hand on
  given(history).when(remove(billing)).then(t, [removed(billing, 'billing')]); // the last of its kind: no default left
  const s = fold(customer, [...history, removed(home, 'shipping'), defaultSet(office, 'shipping')]);
  t.same(s.status === 'none' ? [] : s.addresses.filter((a) => a.isDefault).map((a) => a.addressId), [billing, office]);
});

t.test('country codes: assigned ISO 3166-1 alpha-2 only', async (t) => {
  for (const code of ['DE', 'US', 'GB', 'XK', 'SS', 'BQ']) t.ok(isCountryCode(code), code);
  for (const code of ['UK', 'EU', 'ZZ', 'de', 'DEU', '']) t.notOk(isCountryCode(code), code);
});
