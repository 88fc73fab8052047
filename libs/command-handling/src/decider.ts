/** What a pure decider says about one command: the events to record and how it went. */
export interface Decision<Event, Outcome extends string = string> {
  readonly events: readonly Event[];
  readonly outcome: Outcome;
}

/**
 * A stream's pure rules: `decide` turns a command and the current state into events (or throws
 * a rejection), `evolve` folds an event into the state. Neither does I/O.
 */
export interface Decider<
  State,
  Command,
  Event extends { readonly type: string },
  Outcome extends string = string,
> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Decision<Event, Outcome>;
  /** True for the errors `decide` throws to reject a command (as opposed to bugs). */
  isRejection(error: unknown): boolean;
}
