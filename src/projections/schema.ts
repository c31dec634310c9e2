// The read-model database: the single source of table types (Kysely infers every
// query's types from it). Money and quantities are `numeric`, read as decimal strings.
import type { ColumnType, Generated, RawBuilder } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** numeric: read as an exact decimal string; written from a string. */
type Numeric = ColumnType<string, string, string>;

export interface ProjectionCheckpointsTable {
  name: string;
  /** `<commit>.<prepare>` of the last event applied (or passed over). */
  position: string;
  updated_at: Generated<Timestamp>;
}

export interface ParkedEventsTable {
  projection: string;
  event_id: string;
  position: string;
  type: string;
  error: string;
  parked_at: Generated<Timestamp>;
}

export interface TenantsTable {
  id: string;
  /** Equal to id: every tenant table is scoped by the same column. */
  tenant_id: string;
  company_name: string;
  default_location_id: string;
  created_at: Timestamp;
  owner_id: string | null;
  legal_name: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  address: string | null;
  tax_id: string | null;
  currency: Generated<string>;
  timezone: Generated<string>;
  low_stock_threshold: ColumnType<string, string | undefined, string>;
  expiry_warning_days: Generated<number>;
  alert_emails: Generated<boolean>;
  onboarding_profile: Generated<boolean>;
  onboarding_settings: Generated<boolean>;
  onboarding_products: Generated<boolean>;
  onboarding_team: Generated<boolean>;
  onboarding_completed_at: Timestamp | null;
  /** The tenant stream's revision: the company's and the settings' ETag. */
  revision: Generated<number>;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  name: string;
  email: string;
  role: string;
  created_at: Timestamp;
  status: Generated<'active' | 'deactivated'>;
  email_verified: Generated<boolean>;
  last_login_at: Timestamp | null;
}

/** One signed-in device. */
export interface SessionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  method: string;
  remember_me: boolean;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
}

export interface InvitationsTable {
  id: string;
  tenant_id: string;
  email: string;
  role: string;
  /** pending | accepted | revoked (expiry is computed when read). */
  status: string;
  invited_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_by: string | null;
  closed_at: Timestamp | null;
}

/** Failed logins and refresh-token reuse: what the admins' security view lists. */
export interface SecurityEventsTable {
  /** The event's id. */
  id: string;
  tenant_id: string;
  kind: 'login-failed' | 'refresh-token-reuse';
  user_id: string;
  email: string | null;
  detail: string | null;
  ip: string | null;
  user_agent: string | null;
  occurred_at: Timestamp;
}

export interface ReactorCheckpointsTable {
  name: string;
  position: string;
  updated_at: Generated<Timestamp>;
}

/** Each event a reactor handled (its side effect done, or given up on): never done twice. */
export interface ReactorDeliveriesTable {
  reactor: string;
  event_id: string;
  status: 'done' | 'skipped' | 'failed';
  detail: string | null;
  at: Generated<Timestamp>;
}

export interface LocationsTable {
  id: string;
  tenant_id: string;
  name: string;
  parent_id: string | null;
  /** Materialized path of ids, root first: '/<rootId>/<childId>/'. A subtree is `path LIKE '<path>%'`. */
  path: string;
  /** 0 for a root. */
  depth: number;
  archived: boolean;
  /** The location stream's revision: the resource's ETag. */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CategoriesTable {
  id: string;
  tenant_id: string;
  name: string;
  parent_id: string | null;
  archived: boolean;
  /** The category stream's revision: the resource's ETag. */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductsTable {
  id: string;
  tenant_id: string;
  sku: string;
  name: string;
  description: string | null;
  category_id: string | null;
  price: Numeric;
  cost: Numeric;
  unit: string;
  barcode: string | null;
  min_threshold: Numeric;
  tracks_expiry: boolean;
  /** On hand, all locations. */
  quantity: Numeric;
  /** Shipped by a two-step transfer and not yet received. */
  in_transit: Numeric;
  /** Value of everything owned (on hand + in transit): the sum of the movements' values. */
  value: Numeric;
  /** Moving weighted-average unit cost (value / owned quantity, exact at 8 decimals). */
  average_cost: Numeric;
  is_low_stock: boolean;
  archived: boolean;
  /** The product stream's revision: the resource's ETag. */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Stock of one product at one location, per lot ('' is stock without a lot). */
export interface ProductStockTable {
  tenant_id: string;
  product_id: string;
  location_id: string;
  lot_key: string;
  lot: string | null;
  expires_on: string | null;
  quantity: Numeric;
}

/** A product's low-stock threshold at one location, overriding the product's own. */
export interface ProductThresholdsTable {
  tenant_id: string;
  product_id: string;
  location_id: string;
  min_threshold: Numeric;
}

/** Per-tenant inventory totals, maintained as movements happen (the dashboard reads them). */
export interface InventoryTotalsTable {
  tenant_id: string;
  products: number;
  total_stock: Numeric;
  total_value: Numeric;
}

/** Inventory value per category (category_id '' for products without one). */
export interface CategoryValuesTable {
  tenant_id: string;
  category_id: string;
  value: Numeric;
}

export interface CustomersTable {
  id: string;
  tenant_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** The phone's digits alone, so that "555 0100" finds "+1 (555) 01-00". */
  phone_digits: string | null;
  note: string | null;
  archived: boolean;
  /** The customer stream's revision (address changes included): the resource's ETag. */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomerAddressesTable {
  id: string;
  tenant_id: string;
  customer_id: string;
  kind: 'shipping' | 'billing' | 'other';
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Exactly one per customer and kind (the customer decider keeps it so). */
  is_default: boolean;
  /** The stream revision it was added at: addresses are listed in the order they were added. */
  added_revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** First responses to POST commands sent with an Idempotency-Key (not a projection: the API writes it). */
export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  request_hash: string;
  /** 0 while the first request is still being handled. */
  status_code: number;
  body: string | null;
  headers: string | null;
  created_at: Generated<Timestamp>;
}

export interface SalesTable {
  id: string;
  tenant_id: string;
  customer_id: string | null;
  location_id: string;
  status: 'pending' | 'completed' | 'rejected' | 'voided';
  /** Σ quantity × unit price. */
  total: Numeric;
  /** Cost of the goods sold (from the inventory valuation). */
  cost: Numeric;
  refunded: Numeric;
  returned_cost: Numeric;
  short_lines: ColumnType<unknown, string | null, string | null>;
  revision: number;
  created_at: Timestamp;
  completed_at: Timestamp | null;
  updated_at: Timestamp;
  /** Of the request that started the sale; null for sales projected before it was kept. */
  correlation_id: string | null;
}

/** A return or void that restocks, until each of its lines is back in stock. */
export interface SaleRestocksTable {
  return_id: string;
  tenant_id: string;
  sale_id: string;
  /** Sale lines not yet back in stock. */
  pending_lines: ColumnType<number[], number[], number[] | RawBuilder<number[]>>;
  correlation_id: string;
  created_at: Timestamp;
}

export interface SaleLinesTable {
  tenant_id: string;
  sale_id: string;
  line: number;
  product_id: string;
  quantity: Numeric;
  unit_price: Numeric;
  cost: Numeric;
  returned: Numeric;
  returned_cost: Numeric;
}

/** Sales started and not yet ended, kept by the sale-recovery reactor. */
export interface Database {
  projection_checkpoints: ProjectionCheckpointsTable;
  parked_events: ParkedEventsTable;
  tenants: TenantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  security_events: SecurityEventsTable;
  reactor_checkpoints: ReactorCheckpointsTable;
  reactor_deliveries: ReactorDeliveriesTable;
  locations: LocationsTable;
  categories: CategoriesTable;
  products: ProductsTable;
  product_stock: ProductStockTable;
  product_thresholds: ProductThresholdsTable;
  inventory_totals: InventoryTotalsTable;
  category_values: CategoryValuesTable;
  idempotency_keys: IdempotencyKeysTable;
  sales: SalesTable;
  sale_lines: SaleLinesTable;
  sale_restocks: SaleRestocksTable;
  customers: CustomersTable;
  customer_addresses: CustomerAddressesTable;
}

/** Tables that hold tenant data: each has a tenant_id column. */
export type TenantTable =
  | 'tenants'
  | 'users'
  | 'sessions'
  | 'invitations'
  | 'security_events'
  | 'locations'
  | 'categories'
  | 'products'
  | 'product_stock'
  | 'product_thresholds'
  | 'inventory_totals'
  | 'category_values'
  | 'sales'
  | 'sale_lines'
  | 'customers'
  | 'customer_addresses';
