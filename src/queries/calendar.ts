import type { TenantScope } from './scope.js';
// Dates as a tenant sees them: "expired" means expiry on or before today in the
// tenant's timezone, not the server's.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date (YYYY-MM-DD) in an IANA timezone. */
export function todayIn(timezone: string, now: Date = new Date()): string {
  let format = formatters.get(timezone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timezone, format);
  }
  return format.format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface TenantCalendar {
  /** The tenant's IANA timezone. */
  timezone: string;
  /** Today in the tenant's timezone. */
  today: string;
  /** Stock expiring within this many days of today is "expiring soon". */
  expiryWarningDays: number;
}

/** From the tenant's settings; UTC and 30 days until the tenant's row is projected. */
export async function tenantCalendar(scope: TenantScope, now: Date = new Date()): Promise<TenantCalendar> {
  const settings = await scope.selectFrom('tenants').select(['timezone', 'expiry_warning_days']).executeTakeFirst();
  const timezone = settings?.timezone ?? 'UTC';
  return { timezone, today: todayIn(timezone, now), expiryWarningDays: settings?.expiry_warning_days ?? 30 };
}
