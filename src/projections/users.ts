import type { Transaction } from 'kysely';
import type { Stored } from '../events/index.js';
import { projection } from './projection.js';
import type { Database } from './schema.js';

const user = (e: Stored, tx: Transaction<Database>, userId: string) =>
  tx.updateTable('users').where('tenant_id', '=', e.metadata.tenantId).where('id', '=', userId);

export const users = projection('users', ['users'], {
  UserRegistered: (e, tx) =>
    tx
      .insertInto('users')
      .values({
        id: e.data.userId,
        tenant_id: e.data.tenantId,
        name: e.data.name,
        email: e.data.email,
        role: e.data.role,
        last_login_at: null,
        created_at: e.metadata.occurredAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute(),
  EmailVerified: (e, tx) => user(e, tx, e.data.userId).set({ email_verified: true }).execute(),
  // A reset proves the inbox as well (the user decider says the same).
  PasswordChanged: async (e, tx) => {
    if (e.data.via === 'reset') await user(e, tx, e.data.userId).set({ email_verified: true }).execute();
  },
  UserRoleChanged: (e, tx) => user(e, tx, e.data.userId).set({ role: e.data.role }).execute(),
  UserDeactivated: (e, tx) => user(e, tx, e.data.userId).set({ status: 'deactivated' }).execute(),
  SessionStarted: (e, tx) => user(e, tx, e.data.userId).set({ last_login_at: e.metadata.occurredAt }).execute(),
});
