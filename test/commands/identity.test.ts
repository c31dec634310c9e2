import { randomUUID } from 'node:crypto';
import t from 'tap';
import { emailReservation } from '../../src/commands/email-reservation.js';
import { location } from '../../src/commands/location.js';
import { skuReservation } from '../../src/commands/sku-reservation.js';
import { tenant } from '../../src/commands/tenant.js';
import { user } from '../../src/commands/user.js';
import { EmailReserved, UserRegistered } from '../../src/events/identity.js';
import { LocationCreated } from '../../src/events/location.js';
import { SkuReserved } from '../../src/events/product.js';
import { TenantRegistered } from '../../src/events/tenant.js';
import { spec } from '../support/spec.js';

const tenantId = randomUUID();
const userId = randomUUID();

t.test('an email is reserved by one user only', async (t) => {
  const data = { email: 'a@b.test', userId, tenantId };
  spec(emailReservation).given([]).when({ type: 'ReserveEmail', data }).then(t, [EmailReserved.of(data)]);
  spec(emailReservation)
    .given([EmailReserved.of(data)])
    .when({ type: 'ReserveEmail', data: { ...data, userId: randomUUID() } })
    .thenThrows(t, 'email-taken');
});

t.test('a SKU is reserved by one product only', async (t) => {
  const data = { sku: 'W-1', productId: randomUUID() };
  spec(skuReservation).given([]).when({ type: 'ReserveSku', data }).then(t, [SkuReserved.of(data)]);
  spec(skuReservation)
    .given([SkuReserved.of(data)])
    .when({ type: 'ReserveSku', data: { ...data, productId: randomUUID() } })
    .thenThrows(t, 'sku-taken', { sku: 'W-1' });
});

t.test('a tenant, a user and a location are each created once', async (t) => {
  const tenantData = { tenantId, companyName: 'Acme', ownerId: userId, defaultLocationId: randomUUID() };
  spec(tenant).given([]).when({ type: 'RegisterTenant', data: tenantData }).then(t, [TenantRegistered.of(tenantData)]);
  spec(tenant).given([TenantRegistered.of(tenantData)]).when({ type: 'RegisterTenant', data: tenantData }).thenThrows(t, 'already-exists');

  const userData = { userId, tenantId, name: 'Ann', email: 'a@b.test', passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$x$y', role: 'owner' as const };
  spec(user).given([]).when({ type: 'RegisterUser', data: userData }).then(t, [UserRegistered.of(userData)]);
  spec(user).given([UserRegistered.of(userData)]).when({ type: 'RegisterUser', data: userData }).thenThrows(t, 'already-exists');

  const locationData = { locationId: randomUUID(), name: 'Main', parentId: null };
  spec(location).given([]).when({ type: 'CreateLocation', data: locationData }).then(t, [LocationCreated.of(locationData)]);
  spec(location).given([LocationCreated.of(locationData)]).when({ type: 'CreateLocation', data: locationData }).thenThrows(t, 'already-exists');
});
