// Every projection of the application, by name.
import { categories } from './categories.js';
import { customers } from './customers.js';
import { sales } from './sales.js';
import { locations } from './locations.js';
import { products } from './products.js';
import type { Projection } from './projection.js';
import { invitations } from './invitations.js';
import { securityEvents } from './security-events.js';
import { sessions } from './sessions.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

export const projections: readonly Projection[] = [tenants, users, sessions, invitations, securityEvents, locations, categories, products, customers, sales];
