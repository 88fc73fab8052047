import { Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { WorkerLeadership } from '#worker-lease';

/**
 * With the worker role: whether this process runs the worker now (`leader`) or stands by. Always
 * up: a standby is as ready as the leader, which it replaces when the leader goes.
 */
@Injectable()
export class WorkerHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Optional() private readonly leadership?: WorkerLeadership,
  ) {}

  /** Whether this process has the worker role (otherwise there is nothing to report). */
  get applies(): boolean {
    return this.leadership !== undefined;
  }

  check() {
    return this.health.check('worker').up({ state: this.leadership?.state, mode: this.leadership?.mode });
  }
}
