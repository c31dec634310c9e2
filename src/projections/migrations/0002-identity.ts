import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('email_verified', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_login_at', 'timestamptz')
    .execute();

  await db.schema
    .alterTable('tenants')
    .addColumn('owner_id', 'uuid')
    .addColumn('legal_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('website', 'text')
    .addColumn('address', 'text')
    .addColumn('tax_id', 'text')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('low_stock_threshold', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('expiry_warning_days', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('alert_emails', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('onboarding_profile', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('onboarding_settings', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('onboarding_products', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('onboarding_team', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('onboarding_completed_at', 'timestamptz')
    .addColumn('revision', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('remember_me', 'boolean', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text')
    .execute();
  await sql`CREATE INDEX sessions_active ON sessions (tenant_id, user_id, last_used_at) WHERE revoked_at IS NULL`.execute(db);

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_by', 'uuid')
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('invitations_tenant').on('invitations').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('security_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('detail', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_events_recent').on('security_events').columns(['tenant_id', 'kind', 'occurred_at']).execute();

  // Reactors (side effects) keep their own checkpoints and a record of each event they
  // handled: never touched by a projection rebuild, so nothing is sent twice.
  await db.schema
    .createTable('reactor_checkpoints')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('reactor_deliveries')
    .addColumn('reactor', 'text', (c) => c.notNull())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('reactor_deliveries_pk', ['reactor', 'event_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['reactor_deliveries', 'reactor_checkpoints', 'security_events', 'invitations', 'sessions'])
    await db.schema.dropTable(table).ifExists().execute();
}
