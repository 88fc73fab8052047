import assert from 'node:assert/strict';

/** Tests only: given(events).when(command).then(events) / .thenThrows(code). */
type Outcome = string;
type DecisionLike<Event> = { readonly events: readonly Event[]; readonly outcome: Outcome };
type Refusal = { readonly code: string; readonly fields?: readonly { readonly path: string }[] };

export type Decider<Command, Event, State, Context> = {
  readonly decide: (command: Command, state: State, context: Context) => DecisionLike<Event>;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
};

export type WhenResult<Event, State> = {
  /** The events recorded (and, when given, the outcome). */
  then(events: readonly Event[], outcome?: Outcome): void;
  /** No event, with this outcome ('duplicate' or 'unchanged'). */
  thenNothing(outcome: Outcome): void;
  /** Refused with this code; for BAD_USER_INPUT, `paths` must be exactly the bad fields. */
  thenThrows(code: string, paths?: readonly string[]): void;
  /** The decision itself and the state before, for assertions the helpers do not cover. */
  decision(): { readonly events: readonly Event[]; readonly outcome: Outcome; readonly state: State };
};

export const DeciderSpecification = {
  for<Command, Event, State, Context>(decider: Decider<Command, Event, State, Context>) {
    return {
      given(events: readonly Event[]) {
        return {
          when(command: Command, context: Context): WhenResult<Event, State> {
            const state = events.reduce(decider.evolve, decider.initialState);
            const run = () => decider.decide(command, state, context);
            return {
              then(expected, outcome) {
                const result = run();
                assert.deepStrictEqual(result.events, expected);
                if (outcome !== undefined) assert.equal(result.outcome, outcome);
              },
              thenNothing(outcome) {
                const result = run();
                assert.deepStrictEqual(result.events, []);
                assert.equal(result.outcome, outcome);
              },
              thenThrows(code, paths) {
                let refusal: Refusal | undefined;
                try {
                  const result = run();
                  assert.fail(`expected ${code}, got ${result.outcome}: ${JSON.stringify(result.events)}`);
                } catch (error) {
                  if (error instanceof assert.AssertionError) throw error;
                  refusal = error as Refusal;
                }
                assert.equal(refusal?.code, code, String(refusal));
                if (paths !== undefined) {
                  const actual = (refusal?.fields ?? []).map((field) => field.path);
                  assert.deepStrictEqual([...new Set(actual)].sort(), [...paths].sort());
                }
              },
              decision() {
                return { ...run(), state };
              },
            };
          },
        };
      },
    };
  },
};
