// The tenant and invitation deciders, given/when/then.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { invitation } from '../../src/commands/invitation.js';
import { defaultSettings, tenant } from '../../src/commands/tenant.js';
import { InvitationAccepted, InvitationCreated, InvitationRevoked } from '../../src/events/invitation.js';
import { CompanyProfileUpdated, OnboardingCompleted, OwnershipTransferred, SettingsChanged, TenantRegistered } from '../../src/events/tenant.js';
import { spec } from '../support/spec.js';

const tenantId = randomUUID();
const ownerId = randomUUID();
const registered = TenantRegistered.of({ tenantId, companyName: 'Acme', ownerId, defaultLocationId: randomUUID() });
const blank = { legalName: null, email: null, phone: null, website: null, address: null, taxId: null };

t.test('the profile changes as a whole snapshot, and only when something changed', async (t) => {
  spec(tenant).given([registered]).when({ type: 'UpdateProfile', data: { legalName: 'Acme Ltd' } }).then(t, [CompanyProfileUpdated.of({ companyName: 'Acme', ...blank, legalName: 'Acme Ltd' })]);
  spec(tenant).given([registered]).when({ type: 'UpdateProfile', data: { companyName: 'Acme' } }).then(t, []);
  spec(tenant).given([registered, OnboardingCompleted.of({})]).when({ type: 'CompleteOnboarding' }).then(t, []);
  spec(tenant).given([]).when({ type: 'CompleteOnboarding' }).thenThrows(t, 'not-found');
});

t.test('settings replace the defaults; the same settings again change nothing', async (t) => {
  const settings = { ...defaultSettings, currency: 'EUR', lowStockThreshold: '2.5' };
  spec(tenant).given([registered]).when({ type: 'ChangeSettings', data: settings }).then(t, [SettingsChanged.of(settings)]);
  spec(tenant).given([registered, SettingsChanged.of(settings)]).when({ type: 'ChangeSettings', data: settings }).then(t, []);
  spec(tenant).given([registered]).when({ type: 'ChangeSettings', data: defaultSettings }).then(t, []);
});

t.test('only the owner hands the company over, to someone else', async (t) => {
  const next = randomUUID();
  spec(tenant).given([registered]).when({ type: 'TransferOwnership', data: { fromUserId: ownerId, toUserId: next } }).then(t, [OwnershipTransferred.of({ fromUserId: ownerId, toUserId: next })]);
  spec(tenant).given([registered]).when({ type: 'TransferOwnership', data: { fromUserId: next, toUserId: next } }).thenThrows(t, 'forbidden');
  spec(tenant).given([registered, OwnershipTransferred.of({ fromUserId: ownerId, toUserId: next })]).when({ type: 'TransferOwnership', data: { fromUserId: ownerId, toUserId: randomUUID() } }).thenThrows(t, 'forbidden');
});

t.test('an invitation: never as owner; accepted once, by the invited email, before it expires; revoked unless accepted', async (t) => {
  const invitationId = randomUUID();
  const expiresAt = new Date('2030-01-08T00:00:00.000Z');
  const data = { invitationId, email: 'mia@example.test', role: 'manager' as const, codeHash: 'a'.repeat(64), expiresAt, invitedBy: ownerId, inviterName: 'Ann', companyName: 'Acme' };
  const created = InvitationCreated.of({ ...data, expiresAt: expiresAt.toISOString() });
  spec(invitation).given([]).when({ type: 'CreateInvitation', data }).then(t, [created]);
  spec(invitation).given([]).when({ type: 'CreateInvitation', data: { ...data, role: 'owner' } }).thenThrows(t, 'invalid-role');

  const userId = randomUUID();
  const accept = (over: Partial<{ codeHash: string; email: string; now: Date }> = {}) => ({
    type: 'AcceptInvitation' as const,
    data: { codeHash: 'a'.repeat(64), email: 'mia@example.test', userId, now: new Date('2030-01-02T00:00:00.000Z'), ...over },
  });
  spec(invitation).given([created]).when(accept()).then(t, [InvitationAccepted.of({ invitationId, userId })]);
  spec(invitation).given([created]).when(accept({ email: 'eve@example.test' })).thenThrows(t, 'invalid-invitation');
  spec(invitation).given([created]).when(accept({ codeHash: 'b'.repeat(64) })).thenThrows(t, 'invalid-invitation');
  spec(invitation).given([created]).when(accept({ now: expiresAt })).thenThrows(t, 'invalid-invitation');
  spec(invitation).given([created, InvitationAccepted.of({ invitationId, userId })]).when(accept()).thenThrows(t, 'invalid-invitation');
  spec(invitation).given([created, InvitationRevoked.of({ invitationId })]).when(accept()).thenThrows(t, 'invalid-invitation');

  spec(invitation).given([created]).when({ type: 'RevokeInvitation' }).then(t, [InvitationRevoked.of({ invitationId })]);
  spec(invitation).given([created, InvitationRevoked.of({ invitationId })]).when({ type: 'RevokeInvitation' }).then(t, []);
  spec(invitation).given([created, InvitationAccepted.of({ invitationId, userId })]).when({ type: 'RevokeInvitation' }).thenThrows(t, 'invitation-accepted');
  spec(invitation).given([]).when({ type: 'RevokeInvitation' }).thenThrows(t, 'not-found');
});
