import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

import { ReadModelHealth } from '#read-model';

const CHECK_TIMEOUT_MS = 2000;

/**
 * Up when the read-model database answers, the projector has caught up once since it
 * started, and no more than MAX_READY_LAG_EVENTS account events wait to be applied.
 */
@Injectable()
export class ReadModelHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly readModel: ReadModelHealth,
  ) {}

  async check() {
    const session = this.health.check('readmodel');
    const status = await this.readModel.status(CHECK_TIMEOUT_MS);
    const details = {
      driver: status.driver,
      lagEvents: status.lagEvents,
      caughtUpOnce: status.caughtUpOnce,
      projectorRunning: status.projectorRunning,
    };
    return status.ready ? session.up(details) : session.down({ ...details, message: status.reason });
  }
}
