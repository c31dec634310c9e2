// A login email belongs to at most one user, across tenants: its reservation stream is
// claimed with expected revision `no_stream`, so two concurrent claims cannot both win.
import { EmailReserved, type EmailReservationEvent } from '../events/identity.js';
import type { Decider } from './decider.js';
import { DomainError } from './errors.js';

export type EmailReservationCommand = {
  type: 'ReserveEmail';
  data: { email: string; userId: string; tenantId: string };
};

export type EmailReservationState = { owner: { userId: string; tenantId: string } | null };

export const emailReservation: Decider<EmailReservationCommand, EmailReservationEvent, EmailReservationState> = {
  initialState: { owner: null },
  evolve: (_, e) => {
    switch (e.type) {
      case 'EmailReserved':
        return { owner: { userId: e.data.userId, tenantId: e.data.tenantId } };
    }
  },
  decide: (cmd, s) => {
    switch (cmd.type) {
      case 'ReserveEmail':
        if (s.owner) throw new DomainError('email-taken');
        return [EmailReserved.of(cmd.data)];
    }
  },
};
