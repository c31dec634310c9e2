// Customer reads: the list with search (name, email or phone), sort and pages, and
// one customer with its addresses.
import type { Selectable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { CustomerAddressesTable, CustomersTable } from '../projections/schema.js';
import { containing, type ListParams, type Page } from './page.js';
import type { TenantScope } from './scope.js';

export const customerSortFields = { name: 'name', createdAt: 'created_at' } as const;
export type CustomerSortField = keyof typeof customerSortFields;

export interface CustomerListParams extends ListParams<CustomerSortField> {
}

export interface CustomerView {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  note: string | null;
  archived: boolean;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface AddressView {
  id: string;
  kind: CustomerAddressesTable['kind'];
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string | null;
  region: string | null;
  country: string;
  isDefault: boolean;
}

export interface CustomerDetailView extends CustomerView {
  /** In the order they were added. */
  addresses: AddressView[];
}

// A term that could be (part of) a phone number is also matched on the digits alone,
// whatever spaces, dashes or brackets either side was written with.
const PHONE_LIKE = /^[\d\s+().\-/]*\d[\d\s+().\-/]*$/;

export async function listCustomers(scope: TenantScope, params: CustomerListParams): Promise<Page<CustomerView>> {
  let query = scope.selectFrom('customers').where('archived', '=', params.archived);
  if (params.search) {
    const pattern = containing(params.search);
    const digits = PHONE_LIKE.test(params.search) ? params.search.replace(/\D/g, '') : null;
    query = query.where((eb) =>
      eb.or([
        eb('name', 'ilike', pattern),
        eb('email', 'ilike', pattern),
        eb('phone', 'ilike', pattern),
        ...(digits ? [eb('phone_digits', 'like', `%${digits}%`)] : []),
      ]),
    );
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  let page = query.selectAll();
  const sort = params.sort.length > 0 ? params.sort : [{ field: 'name', direction: 'asc' } as const];
  for (const { field, direction } of sort) page = page.orderBy(customerSortFields[field], direction);
  const rows = await page
    .orderBy('id')
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute();
  return { items: rows.map(toView), total: Number(total), page: params.page, pageSize: params.pageSize };
}

// One statement, so the addresses and the revision (the ETag) come from one snapshot
// of the read model. The addresses are reached through the tenant's customer row.
export async function getCustomer(scope: TenantScope, id: string): Promise<CustomerDetailView | null> {
  const row = await scope
    .selectFrom('customers')
    .selectAll('customers')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('customer_addresses as a')
          .select([
            'a.id',
            'a.kind',
            'a.line1',
            'a.line2',
            'a.city',
            'a.postal_code as postalCode',
            'a.region',
            'a.country',
            'a.is_default as isDefault',
          ])
          .whereRef('a.tenant_id', '=', 'customers.tenant_id')
          .whereRef('a.customer_id', '=', 'customers.id')
          .orderBy('a.added_revision')
          .orderBy('a.id'),
      ).as('addresses'),
    )
    .where('customers.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const { addresses, ...customer } = row;
  return { ...toView(customer), addresses };
}

const toView = (row: Selectable<CustomersTable>): CustomerView => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  note: row.note,
  archived: row.archived,
  revision: row.revision,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});
