export { CommandConflictError } from './command-conflict.error.js';
export type { Decider, Decision } from './decider.js';
export { SNAPSHOT_EVENT_TYPE, SnapshotStore } from './snapshots.js';
export type { SnapshotOptions } from './snapshots.js';
export { StreamStateCache } from './state-cache.js';
export { StreamCommandHandler } from './stream-command-handler.js';
export type {
  CommandResult,
  HandledCommands,
  HandledReport,
  StreamCommandHandlerOptions,
} from './stream-command-handler.js';
