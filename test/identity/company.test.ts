// The company profile with its onboarding checklist, and its settings; ETag and If-Match.
import t from 'tap';
import { identityEnv } from '../support/identity.js';

const problemType = (slug: string) => `https://stockbook.dev/problems/${slug}`;

t.test('profile and onboarding: the checklist ticks itself off; If-Match guards changes', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ companyName: 'Acme', verify: true });
  const api = owner.client;
  const at = (res: { headers: Headers }) => ({ 'x-min-log-position': res.headers.get('x-log-position')! });

  const fresh = await api.get('/api/v1/company', { token: owner.token });
  t.equal(fresh.status, 200);
  t.match(fresh.body, {
    id: owner.tenantId,
    companyName: 'Acme',
    ownerId: owner.userId,
    legalName: null,
    onboarding: { completed: false, completedAt: null, steps: { companyProfile: false, settings: false, firstProduct: false, team: false } },
  });
  const etag = fresh.headers.get('etag')!;
  t.match(etag, /^"\d+"$/);

  const patched = await api.patch('/api/v1/company', {
    token: owner.token,
    headers: { 'if-match': etag },
    body: { legalName: 'Acme Hardware Ltd', email: 'office@acme.test', website: 'https://acme.test', address: '1 Main St\nSpringfield', taxId: 'GB123' },
  });
  t.equal(patched.status, 200);
  t.not(patched.headers.get('etag'), etag, 'a new ETag');
  const stale = await api.patch('/api/v1/company', { token: owner.token, headers: { 'if-match': etag }, body: { phone: '+1 555' } });
  t.equal(stale.status, 412, 'a stale If-Match is refused');
  t.match(stale.body, { type: problemType('precondition-failed') });
  const badIfMatch = await api.patch('/api/v1/company', { token: owner.token, headers: { 'if-match': 'yesterday' }, body: { phone: '+1 555' } });
  t.equal(badIfMatch.status, 400);

  await api.put('/api/v1/settings', { token: owner.token, body: { currency: 'EUR', timezone: 'Europe/Dublin', lowStockThreshold: 3, expiryWarningDays: 7, alertEmails: true } });
  await api.post('/api/v1/products', { token: owner.token, body: { sku: 'A-1', name: 'Anvil', price: '10.00' } });
  const invited = await api.post('/api/v1/invitations', { token: owner.token, body: { email: 'team@example.test', role: 'viewer' } });
  const steps = await api.get('/api/v1/company', { token: owner.token, headers: at(invited) });
  t.match(steps.body, {
    legalName: 'Acme Hardware Ltd',
    address: '1 Main St\nSpringfield',
    onboarding: { completed: true, completedAt: null, steps: { companyProfile: true, settings: true, firstProduct: true, team: true } },
  });

  const other = await env.signUp({ companyName: 'Beta', verify: true });
  const dismissed = await other.client.patch('/api/v1/company', { token: other.token, body: { onboardingCompleted: true } });
  t.equal(dismissed.status, 200);
  const done = await other.client.get('/api/v1/company', { token: other.token, headers: at(dismissed) });
  t.match(done.body, { companyName: 'Beta', onboarding: { completed: true, completedAt: String, steps: { companyProfile: false } } });

  const unknownField = await api.patch('/api/v1/company', { token: owner.token, body: { ownerId: other.userId } });
  t.equal(unknownField.status, 400, 'the owner is not a profile field');
  const noChange = await api.patch('/api/v1/company', { token: owner.token, body: { legalName: 'Acme Hardware Ltd' } });
  t.equal(noChange.status, 200, 'a change that changes nothing is fine');
  t.equal((noChange.body as { position: string }).position, '0.0', 'and appends nothing');
  t.ok(await env.mailbox.next('team@example.test'), 'the invitation went out');
  await env.assertNoSecretsInLog(t);
});

t.test('settings: defaults, a full replacement, validation of each field', async (t) => {
  const env = await identityEnv(t);
  const owner = await env.signUp({ verify: true });
  const api = owner.client;
  const defaults = await api.get('/api/v1/settings', { token: owner.token });
  t.same(defaults.body, { currency: 'USD', timezone: 'UTC', lowStockThreshold: 0, expiryWarningDays: 30, alertEmails: true });

  const put = await api.put('/api/v1/settings', {
    token: owner.token,
    headers: { 'if-match': defaults.headers.get('etag')! },
    body: { currency: 'JPY', timezone: 'Asia/Tokyo', lowStockThreshold: 2.5, expiryWarningDays: 14, alertEmails: false },
  });
  t.equal(put.status, 200);
  const read = await api.get('/api/v1/settings', { token: owner.token, headers: { 'x-min-log-position': put.headers.get('x-log-position')! } });
  t.same(read.body, { currency: 'JPY', timezone: 'Asia/Tokyo', lowStockThreshold: 2.5, expiryWarningDays: 14, alertEmails: false });
  t.equal(read.headers.get('etag'), put.headers.get('etag'));

  const bad = await api.put('/api/v1/settings', {
    token: owner.token,
    body: { currency: 'XYZ1', timezone: 'Mars/Olympus', lowStockThreshold: -1, expiryWarningDays: 1.5, alertEmails: 'yes' },
  });
  t.equal(bad.status, 400);
  const fields = (bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
  t.same(fields, ['alertEmails', 'currency', 'expiryWarningDays', 'lowStockThreshold', 'timezone'], 'every bad field is named');
  const partial = await api.put('/api/v1/settings', { token: owner.token, body: { currency: 'EUR' } });
  t.equal(partial.status, 400, 'PUT replaces all settings: every field is required');
});
