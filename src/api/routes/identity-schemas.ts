// What the identity routes share: their dependencies, common field schemas, and how a
// command's outcome is answered.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { START, formatPosition } from '../../eventstore/port.js';
import type { Changed } from '../../commands/team-service.js';
import type { AppDeps } from '../app.js';
import { withPosition } from '../freshness.js';
import type { GoogleIdentity } from '../google.js';

export interface IdentityDeps extends AppDeps {
  /** Verifies a Google ID token; null when Google sign-in is not configured. */
  google: ((idToken: string) => Promise<GoogleIdentity>) | null;
}

export const Email = z.email().max(320);
export const Password = z.string().min(10, 'must be at least 10 characters').max(200);
export const Code = z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code from the mail');

/** `"3"` or `W/"3"` from If-Match, as a revision; undefined when absent. */
export function ifMatch(header: string | undefined): bigint | undefined | null {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  return m ? BigInt(m[1]!) : null;
}

/** The CommandResult body; a change that changed nothing has position 0.0 (nothing to wait for). */
export function changedResult(reply: FastifyReply, changed: Changed) {
  const position = changed.position ?? START;
  withPosition(reply, position);
  return { id: changed.id, revision: Number(changed.revision), position: formatPosition(position) };
}
