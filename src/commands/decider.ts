// The shape of an aggregate: pure, synchronous, total. Time and new ids arrive in the
// command; a rejection throws DomainError; the same input always gives the same events.
import type { DomainEvent } from '../events/index.js';

export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
  /** For aggregates whose streams grow long: how their state is snapshotted. */
  readonly snapshot?: SnapshotCodec<State>;
}

/** State to JSON and back. Bump `version` when the shape changes: older snapshots are then ignored. */
export interface SnapshotCodec<State> {
  readonly version: number;
  encode(state: State): unknown;
  decode(json: unknown): State;
}

export const fold = <E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>, events: readonly E[]): S =>
  events.reduce(decider.evolve, decider.initialState);
