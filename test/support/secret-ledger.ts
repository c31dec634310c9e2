// Every plaintext secret a test saw (passwords, codes from mails, tokens from answers
// and cookies), and the scan that proves none of them is in the event log.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '../../src/eventstore/port.js';
import type { Test } from './tap.js';

const SECRET_FIELDS = new Set(['accessToken', 'refreshToken', 'resetToken', 'password', 'newPassword', 'currentPassword', 'code', 'idToken']);

export class SecretLedger {
  readonly secrets = new Set<string>();

  add(...values: (string | undefined | null)[]): void {
    // Shorter strings are placeholders of bad-input tests ("x"), not secrets anyone issued.
    for (const v of values) if (v && v.length >= 6) this.secrets.add(v);
  }

  /** Picks the secret fields out of a JSON body (answers and requests alike). */
  collect(body: unknown): void {
    if (!body || typeof body !== 'object') return;
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string' && SECRET_FIELDS.has(key)) this.add(value);
      else if (value && typeof value === 'object') this.collect(value);
    }
  }

  /** Fails for each secret found in any event's type, stream, data or metadata. */
  async assertNotInLog(t: Test, store: EventStore): Promise<void> {
    // The whole log, once it stops growing (on Postgres the newest commits may show a moment late).
    let events = await store.readAll();
    for (let i = 0; i < 20; i++) {
      await sleep(100);
      const again = await store.readAll();
      if (again.length === events.length) break;
      events = again;
    }
    const log = events.map((e) => JSON.stringify({ stream: e.stream, type: e.type, data: e.data, metadata: e.metadata })).join('\n');
    const leaked = [...this.secrets].filter((secret) => {
      // Six digits could occur inside a hex digest or a uuid by chance: look for them standing alone.
      if (/^\d{6}$/.test(secret)) return new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`).test(log);
      return log.includes(secret);
    });
    t.ok(this.secrets.size > 0, `the ledger holds ${this.secrets.size} secrets`);
    t.same(unhashed(events.map((e) => e.data)), [], 'every password, code or token field of every event is a hash');
    t.same(leaked.map((s) => `${s.slice(0, 6)}…`), [], `none of ${this.secrets.size} secrets is in the ${events.length} events of the log`);
  }
}

const SECRETISH = /password|code|token|secret/i;
const HASHED = /^(\$argon2id\$.+|[0-9a-f]{64})$/;

/** Paths of fields named like a secret whose value is not a digest. */
function unhashed(value: unknown, path = ''): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = `${path}.${key}`;
    if (SECRETISH.test(key) && v !== null && !(typeof v === 'string' && HASHED.test(v))) return [here];
    return unhashed(v, here);
  });
}
