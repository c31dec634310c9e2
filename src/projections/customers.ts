// The customers read model: one row per customer (archived ones kept: sales point at
// them) and one per address. Every event of a customer stream moves the customer's
// revision, which is the ETag of the customer with its addresses.
import { sql, type Transaction } from 'kysely';
import type { Stored } from '../events/index.js';
import { projection } from './projection.js';
import type { Database } from './schema.js';

const digitsOf = (phone: string | null) => (phone === null ? null : phone.replace(/\D/g, ''));

const changed = (e: Stored) => ({ revision: Number(e.revision), updated_at: e.metadata.occurredAt });

function touchCustomer(e: Stored & { data: { customerId: string } }, tx: Transaction<Database>) {
  return tx
    .updateTable('customers')
    .set(changed(e))
    .where('tenant_id', '=', e.metadata.tenantId)
    .where('id', '=', e.data.customerId)
    .execute();
}

export const customers = projection('customers', ['customers', 'customer_addresses'], {
  CustomerRegistered: (e, tx) =>
    tx
      .insertInto('customers')
      .values({
        id: e.data.customerId,
        tenant_id: e.metadata.tenantId,
        name: e.data.name,
        email: e.data.email,
        phone: e.data.phone,
        phone_digits: digitsOf(e.data.phone),
        note: e.data.note,
        archived: false,
        created_at: e.metadata.occurredAt,
        ...changed(e),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  CustomerRenamed: (e, tx) =>
    tx
      .updateTable('customers')
      .set({ name: e.data.name, ...changed(e) })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('id', '=', e.data.customerId)
      .execute(),
  CustomerContactChanged: (e, tx) =>
    tx
      .updateTable('customers')
      .set({ email: e.data.email, phone: e.data.phone, phone_digits: digitsOf(e.data.phone), ...changed(e) })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('id', '=', e.data.customerId)
      .execute(),
  CustomerNoteChanged: (e, tx) =>
    tx
      .updateTable('customers')
      .set({ note: e.data.note, ...changed(e) })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('id', '=', e.data.customerId)
      .execute(),
  CustomerArchived: (e, tx) =>
    tx
      .updateTable('customers')
      .set({ archived: true, ...changed(e) })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('id', '=', e.data.customerId)
      .execute(),

  CustomerAddressAdded: async (e, tx) => {
    const { customerId, addressId, postalCode, isDefault, ...lines } = e.data;
    await tx
      .insertInto('customer_addresses')
      .values({
        id: addressId,
        tenant_id: e.metadata.tenantId,
        customer_id: customerId,
        ...lines,
        postal_code: postalCode,
        is_default: isDefault,
        added_revision: Number(e.revision),
        created_at: e.metadata.occurredAt,
        updated_at: e.metadata.occurredAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await touchCustomer(e, tx);
  },
  CustomerAddressChanged: async (e, tx) => {
    const { customerId, addressId, postalCode, ...lines } = e.data;
    await tx
      .updateTable('customer_addresses')
      .set({ ...lines, postal_code: postalCode, updated_at: e.metadata.occurredAt })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('customer_id', '=', customerId)
      .where('id', '=', addressId)
      .execute();
    await touchCustomer(e, tx);
  },
  CustomerAddressRemoved: async (e, tx) => {
    await tx
      .deleteFrom('customer_addresses')
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('customer_id', '=', e.data.customerId)
      .where('id', '=', e.data.addressId)
      .execute();
    await touchCustomer(e, tx);
  },
  CustomerDefaultAddressSet: async (e, tx) => {
    await tx
      .updateTable('customer_addresses')
      .set({ is_default: sql<boolean>`id = ${e.data.addressId}`, updated_at: e.metadata.occurredAt })
      .where('tenant_id', '=', e.metadata.tenantId)
      .where('customer_id', '=', e.data.customerId)
      .where('kind', '=', e.data.kind)
      // Only the rows whose flag changes: the old default and the new one.
      .where((eb) => eb.or([eb('is_default', '=', true), eb('id', '=', e.data.addressId)]))
      .execute();
    await touchCustomer(e, tx);
  },
});
