import { initialAccountState } from './account-state.js';
import { decide } from './decide.js';
import { evolve } from './evolve.js';

/** decide + evolve + the initial state: everything a command handler or a test needs. */
export const accountDecider = { decide, evolve, initialState: initialAccountState } as const;
