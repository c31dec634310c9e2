// The tenant: registered once, then its profile, onboarding, settings and owner.
import {
  CompanyProfileUpdated,
  OnboardingCompleted,
  OwnershipTransferred,
  SettingsChanged,
  TenantRegistered,
  type CompanyProfile,
  type TenantEvent,
  type TenantSettings,
} from '../events/tenant.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';

export type TenantCommand =
  | { type: 'RegisterTenant'; data: { tenantId: string; companyName: string; ownerId: string; defaultLocationId: string } }
  | { type: 'UpdateProfile'; data: Partial<CompanyProfile> }
  | { type: 'CompleteOnboarding' }
  | { type: 'ChangeSettings'; data: TenantSettings }
  | { type: 'TransferOwnership'; data: { fromUserId: string; toUserId: string } };

/** What a company starts with until someone changes its settings. */
export const defaultSettings: TenantSettings = {
  currency: 'USD',
  timezone: 'UTC',
  lowStockThreshold: '0',
  expiryWarningDays: 30,
  alertEmails: true,
};

export type TenantState =
  | { status: 'none' }
  | {
      status: 'active';
      tenantId: string;
      companyName: string;
      defaultLocationId: string;
      ownerId: string;
      profile: CompanyProfile;
      settings: TenantSettings;
      onboardingCompleted: boolean;
    };

export const tenant: Decider<TenantCommand, TenantEvent, TenantState> = {
  initialState: { status: 'none' },
  evolve: (s, e) => {
    if (e.type === 'TenantRegistered') {
      const { companyName } = e.data;
      const profile = { companyName, legalName: null, email: null, phone: null, website: null, address: null, taxId: null };
      return { status: 'active', ...e.data, profile, settings: defaultSettings, onboardingCompleted: false };
    }
    if (s.status === 'none') return s;
    switch (e.type) {
      case 'CompanyProfileUpdated':
        return { ...s, companyName: e.data.companyName, profile: e.data };
      case 'OnboardingCompleted':
        return { ...s, onboardingCompleted: true };
      case 'SettingsChanged':
        return { ...s, settings: e.data };
      case 'OwnershipTransferred':
        return { ...s, ownerId: e.data.toUserId };
    }
  },
  decide: (cmd, s) => {
    if (cmd.type === 'RegisterTenant') {
      if (s.status !== 'none') throw new DomainError('already-exists');
      return [TenantRegistered.of(cmd.data)];
    }
    if (s.status === 'none') throw new DomainError('not-found');
    switch (cmd.type) {
      case 'UpdateProfile': {
        const profile = { ...s.profile, ...cmd.data };
        return same(profile, s.profile) ? [] : [CompanyProfileUpdated.of(profile)];
      }
      case 'CompleteOnboarding':
        return s.onboardingCompleted ? [] : [OnboardingCompleted.of({})];
      case 'ChangeSettings': {
        const settings = SettingsChanged.of(cmd.data);
        return same(settings.data, s.settings) ? [] : [settings];
      }
      case 'TransferOwnership':
        if (cmd.data.fromUserId !== s.ownerId) throw new DomainError('forbidden', { reason: 'only the owner can hand over ownership' });
        if (cmd.data.toUserId === s.ownerId) throw new DomainError('forbidden', { reason: 'the new owner must be someone else' });
        return [OwnershipTransferred.of(cmd.data)];
    }
  },
};

// Both sides are flat records of the same keys: compare field by field.
const same = <T extends object>(a: T, b: T): boolean => (Object.keys(a) as (keyof T)[]).every((k) => a[k] === b[k]);
