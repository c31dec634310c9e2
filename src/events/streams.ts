// Stream names. Every stream of a tenant starts with `<tenantId>:`; tenant ids are
// UUIDs, so no tenant's prefix is the start of another's, and a tenant's whole history
// is `$all` filtered by that prefix. Login emails are global, so their reservation
// streams live under `identity:`.
import { createHash } from 'node:crypto';

export const tenantPrefix = (tenantId: string) => `${tenantId}:`;

export const streams = {
  tenant: (tenantId: string) => `${tenantId}:tenant`,
  user: (tenantId: string, userId: string) => `${tenantId}:user-${userId}`,
  /** One signed-in device. */
  session: (tenantId: string, sessionId: string) => `${tenantId}:session-${sessionId}`,
  invitation: (tenantId: string, invitationId: string) => `${tenantId}:invitation-${invitationId}`,
  location: (tenantId: string, locationId: string) => `${tenantId}:location-${locationId}`,
  category: (tenantId: string, categoryId: string) => `${tenantId}:category-${categoryId}`,
  /**
   * Claimed like a SKU: one live category per name and tenant. Names are free text, so
   * the stream is named by a hash (bounded length, no separators from user input).
   */
  categoryName: (tenantId: string, name: string) => `${tenantId}:category-name-${sha256(normalizeCategoryName(name))}`,
  customer: (tenantId: string, customerId: string) => `${tenantId}:customer-${customerId}`,
  product: (tenantId: string, productId: string) => `${tenantId}:product-${productId}`,
  sale: (tenantId: string, saleId: string) => `${tenantId}:sale-${saleId}`,
  /** Claimed with `no_stream`: at most one live product per SKU and tenant. */
  skuReservation: (tenantId: string, sku: string) => `${tenantId}:sku-${normalizeSku(sku)}`,
  /** Claimed with `no_stream`: one user per login email, across tenants. */
  emailReservation: (email: string) => `identity:email-${sha256(normalizeEmail(email))}`,
};

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const normalizeSku = (sku: string) => sku.trim().toUpperCase();
/** "Power  Tools" and "power tools" are the same category name (and "é" is "é" however typed). */
export const normalizeCategoryName = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
