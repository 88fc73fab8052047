import { comparePositions } from './positions.js';

describe('comparePositions', () => {
  it('orders by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBeLessThan(0);
    expect(comparePositions({ commit: 5n, prepare: 3n }, { commit: 5n, prepare: 2n })).toBeGreaterThan(0);
    expect(comparePositions({ commit: 5n, prepare: 3n }, { commit: 5n, prepare: 3n })).toBe(0);
  });
});
