// One error type for every rejected command: a stable code and the details a client
// needs (e.g. the available quantity). src/api maps codes to HTTP in one place.
export type DomainErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'email-taken'
  | 'sku-taken'
  | 'invalid-credentials'
  | 'email-already-verified'
  | 'invalid-code'
  | 'invalid-reset-token'
  | 'invalid-refresh-token'
  | 'refresh-token-reused'
  | 'invalid-invitation'
  | 'invitation-accepted'
  | 'invalid-role'
  | 'wrong-password'
  | 'forbidden'
  | 'user-deactivated'
  | 'too-many-requests'
  | 'unknown-location'
  | 'invalid-quantity'
  | 'product-archived'
  | 'product-has-stock'
  | 'insufficient-stock'
  | 'same-location'
  | 'unknown-transfer'
  | 'transfer-exceeded'
  | 'lot-expiry-mismatch'
  | 'expiry-required'
  | 'precondition-failed'
  | 'invalid-import'
  | 'sale-not-completed'
  | 'unknown-customer'
  | 'return-exceeds-sale'
  | 'category-name-taken'
  | 'unknown-category'
  | 'category-archived'
  | 'location-archived'
  | 'parent-archived'
  | 'location-cycle'
  | 'location-is-default'
  | 'customer-archived'
  | 'unknown-address'
  | 'concurrent-change';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
  }
}
