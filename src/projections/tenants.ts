// The company: profile, settings and onboarding, one row per tenant. The onboarding
// checklist ticks itself off from what the company does (a profile, settings, a first
// product, a first invitation).
import type { Transaction } from 'kysely';
import type { Stored } from '../events/index.js';
import { projection } from './projection.js';
import type { Database } from './schema.js';

// The tenant stream's events move the ETag; the checklist's other sources do not.
const onTenant = (e: Stored, tx: Transaction<Database>) =>
  tx.updateTable('tenants').set({ revision: Number(e.revision) }).where('id', '=', e.metadata.tenantId);

export const tenants = projection('tenants', ['tenants'], {
  TenantRegistered: (e, tx) =>
    tx
      .insertInto('tenants')
      .values({
        id: e.data.tenantId,
        tenant_id: e.data.tenantId,
        company_name: e.data.companyName,
        default_location_id: e.data.defaultLocationId,
        owner_id: e.data.ownerId,
        legal_name: null,
        email: null,
        phone: null,
        website: null,
        address: null,
        tax_id: null,
        onboarding_completed_at: null,
        revision: Number(e.revision),
        created_at: e.metadata.occurredAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  CompanyProfileUpdated: (e, tx) =>
    onTenant(e, tx)
      .set({
        company_name: e.data.companyName,
        legal_name: e.data.legalName,
        email: e.data.email,
        phone: e.data.phone,
        website: e.data.website,
        address: e.data.address,
        tax_id: e.data.taxId,
        onboarding_profile: true,
      })
      .execute(),
  OnboardingCompleted: (e, tx) => onTenant(e, tx).set({ onboarding_completed_at: e.metadata.occurredAt }).execute(),
  SettingsChanged: (e, tx) =>
    onTenant(e, tx)
      .set({
        currency: e.data.currency,
        timezone: e.data.timezone,
        low_stock_threshold: e.data.lowStockThreshold,
        expiry_warning_days: e.data.expiryWarningDays,
        alert_emails: e.data.alertEmails,
        onboarding_settings: true,
      })
      .execute(),
  OwnershipTransferred: (e, tx) => onTenant(e, tx).set({ owner_id: e.data.toUserId }).execute(),
  ProductCreated: (e, tx) =>
    tx.updateTable('tenants').set({ onboarding_products: true }).where('id', '=', e.metadata.tenantId).where('onboarding_products', '=', false).execute(),
  InvitationCreated: (e, tx) =>
    tx.updateTable('tenants').set({ onboarding_team: true }).where('id', '=', e.metadata.tenantId).where('onboarding_team', '=', false).execute(),
});
