import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';

import { EventStoreHealthIndicator } from './event-store.health-indicator.js';
import { ReadModelHealthIndicator } from './read-model.health-indicator.js';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly readModel: ReadModelHealthIndicator,
  ) {}

  /** 200 for as long as the process serves HTTP. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 when the dependencies answer and the read model has caught up, 503 otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.eventStore.check(), () => this.readModel.check()]);
  }
}
