// Sale reads: the list with its filters, one sale with its lines, and the sales figures
// of the dashboard (in the tenant's timezone).
import { sql, type Selectable } from 'kysely';
import { decimal, money, quantityNumber } from '../events/values.js';
import type { SaleLinesTable, SalesTable } from '../projections/schema.js';
import type { TenantScope } from './scope.js';

export interface SaleListParams {
  page: number;
  pageSize: number;
  customerId?: string | undefined;
  productId?: string | undefined;
  status?: SalesTable['status'] | undefined;
  /** Tenant-local dates, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  timezone: string;
}

export type SaleView = ReturnType<typeof toView>;

function toView(row: Selectable<SalesTable>, lines: Selectable<SaleLinesTable>[] = []) {
  const revenue = decimal(row.total).minus(row.refunded);
  const cost = decimal(row.cost).minus(row.returned_cost);
  return {
    id: row.id,
    customerId: row.customer_id,
    locationId: row.location_id,
    status: row.status,
    total: money(decimal(row.total)),
    refunded: money(decimal(row.refunded)),
    /** Net of returns; cost of goods sold net of what came back. */
    revenue: money(revenue),
    cost: money(cost),
    grossMargin: money(row.status === 'completed' || row.status === 'voided' ? revenue.minus(cost) : decimal(0)),
    shortLines: (row.short_lines ?? null) as unknown[] | null,
    createdAt: new Date(row.created_at).toISOString(),
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
    revision: Number(row.revision),
    lines: lines.map((l) => ({
      line: l.line,
      productId: l.product_id,
      quantity: quantityNumber(decimal(l.quantity)),
      unitPrice: money(decimal(l.unit_price)),
      cost: money(decimal(l.cost)),
      returned: quantityNumber(decimal(l.returned)),
    })),
  };
}

export async function listSales(scope: TenantScope, p: SaleListParams) {
  let query = scope.selectFrom('sales');
  if (p.customerId) query = query.where('customer_id', '=', p.customerId);
  if (p.status) query = query.where('status', '=', p.status);
  if (p.productId) query = query.where(sql<boolean>`EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = sales.id AND l.product_id = ${p.productId})`);
  if (p.from) query = query.where(sql<boolean>`(created_at AT TIME ZONE ${p.timezone})::date >= ${p.from}::date`);
  if (p.to) query = query.where(sql<boolean>`(created_at AT TIME ZONE ${p.timezone})::date <= ${p.to}::date`);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(p.pageSize).offset((p.page - 1) * p.pageSize).execute();
  return { items: rows.map((r) => toView(r)), total: Number(total), page: p.page, pageSize: p.pageSize };
}

export async function getSale(scope: TenantScope, id: string) {
  const row = await scope.selectFrom('sales').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const lines = await scope.selectFrom('sale_lines').selectAll().where('sale_id', '=', id).orderBy('line').execute();
  return toView(row, lines);
}

export interface SalesFigures {
  count: number;
  revenue: string;
  grossMargin: string;
}

/** Completed (and later voided or returned) sales since `from` (a tenant-local date), net of returns. */
async function figures(scope: TenantScope, from: string, timezone: string): Promise<SalesFigures> {
  const row = await scope
    .selectFrom('sales')
    .select([
      sql<number>`count(*)`.as('count'),
      sql<string>`COALESCE(sum(total - refunded), 0)`.as('revenue'),
      sql<string>`COALESCE(sum(total - refunded - cost + returned_cost), 0)`.as('margin'),
    ])
    .where('status', 'in', ['completed', 'voided'])
    .where(sql<boolean>`(completed_at AT TIME ZONE ${timezone})::date >= ${from}::date`)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), revenue: money(decimal(row.revenue)), grossMargin: money(decimal(row.margin)) };
}

export async function salesDashboard(scope: TenantScope, today: string, last30From: string, timezone: string) {
  const top = await scope
    .selectFrom('sale_lines')
    .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
    .innerJoin('products', 'products.id', 'sale_lines.product_id')
    .select([
      'sale_lines.product_id',
      'products.name',
      sql<string>`sum(sale_lines.quantity - sale_lines.returned)`.as('quantity'),
      sql<string>`sum((sale_lines.quantity - sale_lines.returned) * sale_lines.unit_price)`.as('revenue'),
    ])
    .where('sales.status', 'in', ['completed', 'voided'])
    .where(sql<boolean>`(sales.completed_at AT TIME ZONE ${timezone})::date >= ${last30From}::date`)
    .groupBy(['sale_lines.product_id', 'products.name'])
    .having(sql<boolean>`sum(sale_lines.quantity - sale_lines.returned) > 0`)
    .orderBy(sql`sum((sale_lines.quantity - sale_lines.returned) * sale_lines.unit_price)`, 'desc')
    .limit(5)
    .execute();
  return {
    today: await figures(scope, today, timezone),
    last30Days: await figures(scope, last30From, timezone),
    topProducts: top.map((t) => ({ productId: t.product_id, name: t.name, quantity: quantityNumber(decimal(t.quantity)), revenue: money(decimal(t.revenue)) })),
  };
}
