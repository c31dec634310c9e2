// Google, played locally: a JWKS endpoint on loopback publishing our own RSA key, and
// ID tokens signed with it (or, for the bad-signature case, with a key it does not publish).
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Test } from './tap.js';

export const GOOGLE_CLIENT_ID = 'stockbook-test.apps.googleusercontent.com';
const KID = 'test-key-1';

export interface IdTokenOptions {
  email: string;
  name?: string;
  emailVerified?: boolean;
  sub?: string;
  iss?: string;
  aud?: string;
  /** Seconds from now (negative: already expired). */
  expiresIn?: number;
  /** Sign with a key that the JWKS does not publish (same kid). */
  rogueKey?: boolean;
}

export interface TestGoogle {
  jwksUrl: string;
  clientId: string;
  idToken(options: IdTokenOptions): Promise<string>;
}

export async function testGoogle(t: Test): Promise<TestGoogle> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    if (req.url !== '/oauth2/v3/certs') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };

  return {
    jwksUrl: `http://127.0.0.1:${port}/oauth2/v3/certs`,
    clientId: GOOGLE_CLIENT_ID,
    async idToken(o) {
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = o.expiresIn ?? 3600;
      const key: CryptoKey = o.rogueKey ? rogue.privateKey : privateKey;
      return new SignJWT({ email: o.email, email_verified: o.emailVerified ?? true, name: o.name ?? 'Grace Hopper' })
        .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
        .setIssuer(o.iss ?? 'https://accounts.google.com')
        .setAudience(o.aud ?? GOOGLE_CLIENT_ID)
        .setSubject(o.sub ?? String(100000000000 + Math.floor(Math.random() * 1e9)))
        .setIssuedAt(expiresIn < 0 ? now + expiresIn - 3600 : now)
        .setExpirationTime(now + expiresIn)
        .sign(key);
    },
  };
}
