// The CRUD baseline's one table, in one place: its shape, the writes it is measured on,
// and how the bench seeds and checks it.
import type pg from 'pg';

/** The whole of a baseline receipt: one statement, no history, no read model. */
export const RECEIVE_SQL = 'UPDATE bench_stock SET quantity = quantity + $1 WHERE id = $2';
/** The whole of a baseline sale: the stock check and the decrement in one statement, no row if short. */
export const SELL_SQL = 'UPDATE bench_stock SET quantity = quantity - $1 WHERE id = $2 AND quantity >= $1';

/** Creates the table with `rows`, each holding `quantity` units (the sales scenario's opening stock). */
export async function seedBaselineTable(pool: pg.Pool, rows: readonly { id: string; tenantId: string }[], quantity = 0): Promise<void> {
  await pool.query('CREATE TABLE bench_stock (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, quantity numeric NOT NULL)');
  await pool.query('INSERT INTO bench_stock (id, tenant_id, quantity) SELECT unnest($1::uuid[]), unnest($2::uuid[]), $3', [
    rows.map((r) => r.id),
    rows.map((r) => r.tenantId),
    quantity,
  ]);
  // Fresh statistics, as a table in service would have: the planner then uses the key.
  await pool.query('ANALYZE bench_stock');
}

export async function baselineTotalQuantity(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ total: string | null }>('SELECT sum(quantity)::text AS total FROM bench_stock');
  return Number(rows[0]?.total ?? 0);
}
