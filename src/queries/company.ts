// The company profile with its onboarding checklist, and its settings.
import { decimal, quantityNumber } from '../events/values.js';
import type { TenantScope } from './scope.js';

export interface CompanyView {
  id: string;
  companyName: string;
  legalName: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  address: string | null;
  taxId: string | null;
  ownerId: string | null;
  defaultLocationId: string;
  createdAt: string;
  onboarding: {
    completed: boolean;
    completedAt: string | null;
    steps: { companyProfile: boolean; settings: boolean; firstProduct: boolean; team: boolean };
  };
  revision: number;
}

export async function getCompany(scope: TenantScope): Promise<CompanyView | null> {
  const t = await scope.selectFrom('tenants').selectAll().executeTakeFirst();
  if (!t) return null;
  const steps = {
    companyProfile: t.onboarding_profile,
    settings: t.onboarding_settings,
    firstProduct: t.onboarding_products,
    team: t.onboarding_team,
  };
  return {
    id: t.id,
    companyName: t.company_name,
    legalName: t.legal_name,
    email: t.email,
    phone: t.phone,
    website: t.website,
    address: t.address,
    taxId: t.tax_id,
    ownerId: t.owner_id,
    defaultLocationId: t.default_location_id,
    createdAt: t.created_at.toISOString(),
    onboarding: {
      // Done when dismissed, or when every step is.
      completed: t.onboarding_completed_at !== null || Object.values(steps).every(Boolean),
      completedAt: t.onboarding_completed_at?.toISOString() ?? null,
      steps,
    },
    revision: Number(t.revision),
  };
}

export interface SettingsView {
  currency: string;
  timezone: string;
  lowStockThreshold: number;
  expiryWarningDays: number;
  alertEmails: boolean;
  revision: number;
}

export async function getSettings(scope: TenantScope): Promise<SettingsView | null> {
  const t = await scope
    .selectFrom('tenants')
    .select(['currency', 'timezone', 'low_stock_threshold', 'expiry_warning_days', 'alert_emails', 'revision'])
    .executeTakeFirst();
  if (!t) return null;
  return {
    currency: t.currency,
    timezone: t.timezone,
    lowStockThreshold: quantityNumber(decimal(t.low_stock_threshold)),
    expiryWarningDays: t.expiry_warning_days,
    alertEmails: t.alert_emails,
    revision: Number(t.revision),
  };
}
