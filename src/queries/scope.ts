// Tenant isolation in one place: queries reach tenant tables only through a scope,
// whose `selectFrom` has already restricted the rows to one tenant.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { ReadDb } from '../projections/read-db.js';
import type { Database, TenantTable } from '../projections/schema.js';

export interface TenantScope {
  readonly tenantId: string;
  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<Database, T, object>;
}

export const tenantScope = (db: ReadDb, tenantId: string): TenantScope => ({
  tenantId,
  selectFrom<T extends TenantTable>(table: T) {
    // Kysely cannot resolve columns of a generic table; every tenant table has
    // tenant_id, so the filter is typed against their union and narrowed back.
    const query = db.selectFrom(table as TenantTable) as SelectQueryBuilder<Database, TenantTable, object>;
    // Qualified, so that joining another tenant table keeps the filter unambiguous.
    return query.where(sql.ref(`${table}.tenant_id`), '=', tenantId) as unknown as SelectQueryBuilder<Database, T, object>;
  },
});
