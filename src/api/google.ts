// Google sign-in: an ID token (from the Sign-In button or One Tap) verified with jose
// against Google's JWKS: RS256, issuer accounts.google.com, audience our client id,
// not expired, and a verified email. Each failure names its reason.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

const ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

export interface GoogleSettings {
  clientId: string;
  /** https://www.googleapis.com/oauth2/v3/certs in production; a local server in tests. */
  jwksUrl: string;
}

export interface GoogleIdentity {
  subject: string;
  email: string;
  name: string;
  /** The Workspace domain of the account, if any. */
  hostedDomain: string | null;
}

export type GoogleRejection = 'expired' | 'audience' | 'issuer' | 'signature' | 'malformed' | 'email-unverified' | 'unavailable';

export class GoogleTokenRejected extends Error {
  constructor(readonly reason: GoogleRejection) {
    super(reason);
  }
}

export const googleRejectionDetail: Record<GoogleRejection, string> = {
  expired: 'The Google ID token has expired; sign in with Google again.',
  audience: 'The Google ID token was issued for another application (audience).',
  issuer: 'The Google ID token was not issued by Google (issuer).',
  signature: "The Google ID token's signature does not verify against Google's keys.",
  malformed: 'This is not a valid Google ID token.',
  'email-unverified': 'Google has not verified this email address.',
  unavailable: "Google's signing keys could not be fetched; retry shortly.",
};

export function googleVerifier(settings: GoogleSettings): (idToken: string) => Promise<GoogleIdentity> {
  // Fetched on first use, cached, and refetched when a token names an unknown key (rotation).
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000 });
  return async (idToken) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: ISSUERS,
        audience: settings.clientId,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      throw new GoogleTokenRejected(rejection(error));
    }
    const email = typeof payload.email === 'string' ? payload.email : null;
    if (!email) throw new GoogleTokenRejected('malformed');
    if (payload.email_verified !== true && payload.email_verified !== 'true') throw new GoogleTokenRejected('email-unverified');
    const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name.trim() : email.split('@')[0]!;
    return { subject: payload.sub!, email, name, hostedDomain: typeof payload.hd === 'string' ? payload.hd : null };
  };
}

function rejection(error: unknown): GoogleRejection {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === 'aud' ? 'audience' : error.claim === 'iss' ? 'issuer' : 'malformed';
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JOSEAlgNotAllowed)
    return 'signature';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'unavailable';
  if (error instanceof errors.JOSEError) return 'malformed';
  // A network failure fetching the keys.
  return 'unavailable';
}
