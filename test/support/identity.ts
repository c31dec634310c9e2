// The identity flows end to end: the whole application listening on loopback, its mail
// going over SMTP into a test mailbox, Google played by a local JWKS server, and a
// ledger of every secret seen, to prove at the end that none reached the log.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from '../../src/api/app.js';
import type { System } from '../../src/cli/system.js';
import { testApp } from './app.js';
import { testGoogle, type TestGoogle } from './google.js';
import { HttpClient } from './http-client.js';
import { SecretLedger } from './secret-ledger.js';
import { codeIn, invitationCodeIn, testSmtp, type TestMailbox } from './smtp.js';
import type { Test } from './tap.js';

export const PASSWORD = 'correct horse battery staple';

export interface Member {
  client: HttpClient;
  email: string;
  password: string;
  userId: string;
  tenantId: string;
  /** The latest access token (Bearer). */
  token: string;
  refreshToken: string;
  sessionId: string;
}

export interface IdentityEnv {
  app: FastifyInstance;
  system: System;
  baseUrl: string;
  mailbox: TestMailbox;
  google: TestGoogle | null;
  ledger: SecretLedger;
  /** Moves the application's clock forward (to reach expiries). */
  advanceClock(ms: number): void;
  client(): HttpClient;
  /** Registers a company over HTTP; the verification mail is left in the mailbox unless `verify`. */
  signUp(options?: { companyName?: string; verify?: boolean }): Promise<Member>;
  /** Reads the verification code from the mailbox and verifies; the member's token now says so. */
  verify(member: Member): Promise<void>;
  /** The admin invites `role`; the invitee accepts from the mail and is signed in. */
  addMember(admin: Member, role: string): Promise<Member>;
  assertNoSecretsInLog(t: Test): Promise<void>;
}

export interface IdentityEnvOptions {
  google?: boolean;
  http?: Pick<AppOptions, 'rateLimit' | 'cookieSecure' | 'trustProxy'>;
}

export async function identityEnv(t: Test, options: IdentityEnvOptions = {}): Promise<IdentityEnv> {
  const mailbox = await testSmtp(t);
  const google = options.google ? await testGoogle(t) : null;
  let offsetMs = 0;
  const { app, system } = await testApp(t, {
    mail: { smtpUrl: mailbox.url, from: 'Stockbook <no-reply@stockbook.test>', outboxDir: '/nonexistent' },
    http: {
      ...options.http,
      clock: () => new Date(Date.now() + offsetMs),
      ...(google ? { google: { clientId: google.clientId, jwksUrl: google.jwksUrl } } : {}),
    },
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const ledger = new SecretLedger();
  const client = () => new HttpClient(baseUrl, ledger);

  const env: IdentityEnv = {
    app,
    system,
    baseUrl,
    mailbox,
    google,
    ledger,
    advanceClock: (ms) => {
      offsetMs += ms;
    },
    client,
    async signUp({ companyName = 'Acme', verify = false } = {}) {
      const c = client();
      const email = `owner-${randomUUID()}@example.test`;
      const res = await c.post<{ accessToken: string; refreshToken: string; userId: string; tenantId: string; sessionId: string }>('/api/v1/auth/register', {
        body: { companyName, name: 'Owner', email, password: PASSWORD },
      });
      if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
      const { accessToken: token, refreshToken, userId, tenantId, sessionId } = res.body;
      const member = { client: c, email, password: PASSWORD, userId, tenantId, token, refreshToken, sessionId };
      if (verify) await env.verify(member);
      return member;
    },
    async verify(member) {
      const code = codeIn(await mailbox.next(member.email));
      ledger.add(code);
      const res = await member.client.post<{ accessToken: string }>('/api/v1/auth/verify-email', { token: member.token, body: { code } });
      if (res.status !== 200) throw new Error(`verify: ${res.status} ${JSON.stringify(res.body)}`);
      member.token = res.body.accessToken;
    },
    async addMember(admin, role) {
      const email = `${role}-${randomUUID()}@example.test`;
      const invited = await admin.client.post('/api/v1/invitations', { token: admin.token, body: { email, role } });
      if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${JSON.stringify(invited.body)}`);
      const code = invitationCodeIn(await mailbox.next(email));
      ledger.add(code);
      const c = client();
      const res = await c.post<{ accessToken: string; refreshToken: string; userId: string; tenantId: string; sessionId: string }>('/api/v1/auth/invitations/accept', {
        body: { code, name: `A ${role}`, email, password: PASSWORD },
      });
      if (res.status !== 201) throw new Error(`accept: ${res.status} ${JSON.stringify(res.body)}`);
      const { accessToken: token, refreshToken, userId, tenantId, sessionId } = res.body;
      return { client: c, email, password: PASSWORD, userId, tenantId, token, refreshToken, sessionId };
    },
    assertNoSecretsInLog: (t) => ledger.assertNotInLog(t, system.store),
  };
  ledger.add(PASSWORD);
  return env;
}
