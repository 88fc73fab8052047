export { WorkerLeaseModule } from './worker-lease.module.js';
export { WORKER_LEASE_OPTIONS, WORKER_LOCK_KEY, WorkerLeadership } from './worker-leadership.js';
export type {
  LeadershipHandlers,
  LeadershipMode,
  LeadershipState,
  WorkerLeaseOptions,
} from './worker-leadership.js';
