// The customer aggregate's events: who a company sells to, how to reach them, and
// where goods and invoices go. One default address per kind is kept by the decider;
// every change of a default is an event of its own, so the log says which one it was.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { Id } from './values.js';

export const addressKinds = ['shipping', 'billing', 'other'] as const;
export const AddressKind = z.enum(addressKinds);
export type AddressKind = z.infer<typeof AddressKind>;

/**
 * The shape of an ISO 3166-1 alpha-2 code only. Which codes are assigned is checked
 * where input arrives (the API): the list changes over time, and an event recorded
 * under an older list must still read back.
 */
const Country = z.string().regex(/^[A-Z]{2}$/);

/** Where an address is, as the customer gave it. */
export const AddressLines = z.object({
  line1: z.string().min(1),
  line2: z.string().nullable(),
  city: z.string().min(1),
  postalCode: z.string().nullable(),
  region: z.string().nullable(),
  country: Country,
});
export type AddressLines = z.infer<typeof AddressLines>;

const Name = z.string().min(1);

export const CustomerRegistered = event(
  'CustomerRegistered',
  z.object({ customerId: Id, name: Name, email: z.string().nullable(), phone: z.string().nullable(), note: z.string().nullable() }),
);
export const CustomerRenamed = event('CustomerRenamed', z.object({ customerId: Id, name: Name }));
/** Email and phone together: a change of either records how to reach the customer now. */
export const CustomerContactChanged = event(
  'CustomerContactChanged',
  z.object({ customerId: Id, email: z.string().nullable(), phone: z.string().nullable() }),
);
export const CustomerNoteChanged = event('CustomerNoteChanged', z.object({ customerId: Id, note: z.string().nullable() }));

/**
 * `isDefault` is true for the first address of its kind only; making a later one the
 * default is a CustomerDefaultAddressSet after it (so an add never displaces anything).
 */
export const CustomerAddressAdded = event(
  'CustomerAddressAdded',
  AddressLines.extend({ customerId: Id, addressId: Id, kind: AddressKind, isDefault: z.boolean() }),
);
/** The address as it reads after the change (its kind does not change). */
export const CustomerAddressChanged = event('CustomerAddressChanged', AddressLines.extend({ customerId: Id, addressId: Id }));
export const CustomerAddressRemoved = event('CustomerAddressRemoved', z.object({ customerId: Id, addressId: Id, kind: AddressKind }));
/** The address becomes its kind's default; the previous default of that kind no longer is. */
export const CustomerDefaultAddressSet = event('CustomerDefaultAddressSet', z.object({ customerId: Id, addressId: Id, kind: AddressKind }));
/** Archived, not deleted: sales and history keep pointing at it. */
export const CustomerArchived = event('CustomerArchived', z.object({ customerId: Id }));

export const customerEvents = [
  CustomerRegistered,
  CustomerRenamed,
  CustomerContactChanged,
  CustomerNoteChanged,
  CustomerAddressAdded,
  CustomerAddressChanged,
  CustomerAddressRemoved,
  CustomerDefaultAddressSet,
  CustomerArchived,
] as const;
export type CustomerEvent = EventOf<(typeof customerEvents)[number]>;

// ISO 3166-1 alpha-2, the officially assigned codes (249), plus XK (Kosovo), which
// is user-assigned but used by the EU, banks and carriers.
const assigned = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI
FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR
IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM
MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM
TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW`;
const countryCodes = new Set(assigned.split(/\s+/));

export const isCountryCode = (code: string): boolean => countryCodes.has(code);
