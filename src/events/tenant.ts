// The tenant (company): its profile, its onboarding, its settings and its owner.
import { z } from 'zod';
import { event, type EventOf } from './envelope.js';
import { Id, Quantity } from './values.js';

export const TenantRegistered = event(
  'TenantRegistered',
  z.object({ tenantId: Id, companyName: z.string().min(1), ownerId: Id, defaultLocationId: Id }),
);

export const CompanyProfile = z.object({
  companyName: z.string().min(1),
  legalName: z.string().nullable(),
  email: z.email().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  address: z.string().nullable(),
  taxId: z.string().nullable(),
});
export type CompanyProfile = z.infer<typeof CompanyProfile>;

/** The whole profile after the change (a snapshot, not a diff). */
export const CompanyProfileUpdated = event('CompanyProfileUpdated', CompanyProfile);

/** The owner dismissed (or finished) the onboarding checklist. */
export const OnboardingCompleted = event('OnboardingCompleted', z.object({}));

export const TenantSettings = z.object({
  /** ISO 4217 code. */
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** IANA time zone, e.g. Europe/Berlin. */
  timezone: z.string().min(1),
  /** The low-stock threshold a new product gets when it names none. */
  lowStockThreshold: Quantity,
  /** Lots expiring within this many days count as expiring soon. */
  expiryWarningDays: z.number().int().min(0).max(3650),
  /** Whether low-stock and expiry alerts are mailed. */
  alertEmails: z.boolean(),
});
export type TenantSettings = z.infer<typeof TenantSettings>;

/** The whole settings after the change. */
export const SettingsChanged = event('SettingsChanged', TenantSettings);

export const OwnershipTransferred = event('OwnershipTransferred', z.object({ fromUserId: Id, toUserId: Id }));

export const tenantEvents = [TenantRegistered, CompanyProfileUpdated, OnboardingCompleted, SettingsChanged, OwnershipTransferred] as const;
export type TenantEvent = EventOf<(typeof tenantEvents)[number]>;
