import { DomainError } from '../domain-error.js';
import { DeciderSpecification } from './decider-spec.js';

type Event = { type: 'Added'; n: number };
const counter = DeciderSpecification.for({
  initialState: 0,
  evolve: (state: number, event: Event) => state + event.n,
  decide: (command: { add: number }, state: number, _context: null) => {
    if (command.add < 0) throw DomainError.badUserInput([{ path: 'add', message: 'must be positive' }]);
    if (state + command.add > 10) throw new DomainError('INVALID_STATE', 'too much');
    return command.add === 0
      ? { events: [], outcome: 'unchanged' }
      : { events: [{ type: 'Added' as const, n: command.add }], outcome: 'created' };
  },
});

describe('DeciderSpecification', () => {
  it('passes on the expected events, outcome and error', () => {
    counter
      .given([{ type: 'Added', n: 1 }])
      .when({ add: 2 }, null)
      .then([{ type: 'Added', n: 2 }], 'created');
    counter.given([]).when({ add: 0 }, null).thenNothing('unchanged');
    counter
      .given([{ type: 'Added', n: 9 }])
      .when({ add: 2 }, null)
      .thenThrows('INVALID_STATE');
    counter.given([]).when({ add: -1 }, null).thenThrows('BAD_USER_INPUT', ['add']);
  });

  it('fails on anything else', () => {
    expect(() =>
      counter
        .given([])
        .when({ add: 2 }, null)
        .then([{ type: 'Added', n: 3 }]),
    ).toThrow();
    expect(() =>
      counter
        .given([])
        .when({ add: 2 }, null)
        .then([{ type: 'Added', n: 2 }], 'duplicate'),
    ).toThrow();
    expect(() => counter.given([]).when({ add: 2 }, null).thenThrows('INVALID_STATE')).toThrow();
    expect(() =>
      counter
        .given([{ type: 'Added', n: 9 }])
        .when({ add: 2 }, null)
        .thenThrows('BAD_USER_INPUT'),
    ).toThrow();
    expect(() =>
      counter.given([]).when({ add: -1 }, null).thenThrows('BAD_USER_INPUT', ['add', 'other']),
    ).toThrow();
    expect(() => counter.given([]).when({ add: 1 }, null).thenNothing('unchanged')).toThrow();
  });
});
