import { Global, Module, type DynamicModule } from '@nestjs/common';

import { WORKER_LEASE_OPTIONS, WorkerLeadership, type WorkerLeaseOptions } from './worker-leadership.js';

/**
 * Worker leadership (global, for the worker role): which of the processes running the worker
 * runs its components now. Needs `AppConfigModule`. Whoever owns the components calls
 * `WorkerLeadership.start(...)` with what to start and stop.
 */
@Global()
@Module({})
export class WorkerLeaseModule {
  static forRoot(options: WorkerLeaseOptions = {}): DynamicModule {
    return {
      module: WorkerLeaseModule,
      providers: [{ provide: WORKER_LEASE_OPTIONS, useValue: options }, WorkerLeadership],
      exports: [WorkerLeadership],
    };
  }
}
