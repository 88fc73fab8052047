// For tests only: not exported from the library's index.
export { DeciderSpecification } from './decider-spec.js';
export type { Decider, WhenResult } from './decider-spec.js';
export * from './fixtures.js';
