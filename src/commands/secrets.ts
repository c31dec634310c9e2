// One-time codes and opaque tokens. The log holds only their digests (DESIGN.md §2).
//
// Mailed codes are *derived*, not stored: code = HMAC(key, id of the event that issued
// it). The command side computes it to store its digest; the mail reactor computes it
// again from the event to write the mail. So no table anywhere holds a live code, and
// only a holder of the server secret can turn the log into codes.
//
// A six-digit code's plain SHA-256 is reversed by trying all million codes, so short
// codes are digested with HMAC-SHA256 under a server key. 256-bit tokens (refresh,
// reset) are digested with plain SHA-256: nothing can be guessed there.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export type CodePurpose = 'verify-email' | 'reset-password';

export class Secrets {
  private readonly key: Buffer;

  /** `master` is the deployment's secret (JWT_SECRET); each use gets its own derived key. */
  constructor(master: string) {
    this.key = Buffer.from(hkdfSync('sha256', master, 'stockbook', 'one-time codes', 32));
  }

  /** The six-digit code issued by the event `eventId`. */
  code(eventId: string): string {
    const mac = this.mac(`code:${eventId}`);
    return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  }

  /** A 256-bit secret issued by the event `eventId` (invitation codes). */
  secret(eventId: string): Buffer {
    return this.mac(`secret:${eventId}`);
  }

  /** Digest of a short code, bound to its purpose and the account it was issued to. */
  codeHash(purpose: CodePurpose, subjectId: string, code: string): string {
    return this.mac(`${purpose}:${subjectId}:${code}`).toString('hex');
  }

  private mac(text: string): Buffer {
    return createHmac('sha256', this.key).update(text).digest();
  }
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

// An opaque token names where it belongs (tenant, then a session, user or invitation)
// so that the write side finds its stream without a read model, followed by 256 bits
// of secret. Only the token's SHA-256 is stored.
const ID_BYTES = 16;
const SECRET_BYTES = 32;

export interface TokenParts {
  tenantId: string;
  id: string;
}

export function encodeToken({ tenantId, id }: TokenParts, secret: Buffer = randomBytes(SECRET_BYTES)): string {
  return Buffer.concat([uuidBytes(tenantId), uuidBytes(id), secret]).toString('base64url');
}

/** The ids a token names, or null for anything that is not one of our tokens. */
export function decodeToken(token: string): TokenParts | null {
  if (!/^[A-Za-z0-9_-]{86}$/.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 2 * ID_BYTES + SECRET_BYTES) return null;
  return { tenantId: uuidText(bytes.subarray(0, ID_BYTES)), id: uuidText(bytes.subarray(ID_BYTES, 2 * ID_BYTES)) };
}

const uuidBytes = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex');
function uuidText(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
