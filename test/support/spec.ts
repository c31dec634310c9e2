// given/when/then for deciders: events in, a command, then the events it decides or
// the rule it breaks.
import type { Decider } from '../../src/commands/decider.js';
import { fold } from '../../src/commands/decider.js';
import { DomainError, type DomainErrorCode } from '../../src/commands/errors.js';
import type { DomainEvent } from '../../src/events/index.js';
import type { Test } from './tap.js';

export function spec<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given: (history: readonly E[]) => ({
      when: (command: C) => {
        const decide = () => decider.decide(command, fold(decider, history));
        return {
          then(t: Test, expected: readonly E[], message?: string) {
            t.same(decide(), expected, message ?? 'decides these events');
          },
          thenThrows(t: Test, code: DomainErrorCode, details?: Record<string, unknown>) {
            let thrown: unknown = null;
            try {
              decide();
            } catch (error) {
              thrown = error;
            }
            t.type(thrown, DomainError, `rejected with ${code}`);
            if (thrown instanceof DomainError) {
              t.equal(thrown.code, code);
              if (details) t.match(thrown.details, details);
            }
          },
        };
      },
    }),
  };
}
