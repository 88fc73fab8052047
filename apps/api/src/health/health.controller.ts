import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';

import { EventStoreHealthIndicator } from './event-store.health-indicator.js';
import { ProjectionsHealthIndicator } from './projections.health-indicator.js';
import { ReadModelHealthIndicator } from './read-model.health-indicator.js';
import { WorkerHealthIndicator } from './worker.health-indicator.js';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventStore: EventStoreHealthIndicator,
    private readonly readModel: ReadModelHealthIndicator,
    private readonly worker: WorkerHealthIndicator,
    private readonly projections: ProjectionsHealthIndicator,
  ) {}

  /** 200 for as long as the process serves HTTP. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * 200 when the dependencies answer and the read model has caught up, 503 otherwise. With the
   * worker role it also says whether this process runs the worker (`worker.state`: leader or standby).
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.eventStore.check(),
      () => this.readModel.check(),
      () => this.projections.check(),
      ...(this.worker.applies ? [() => this.worker.check()] : []),
    ]);
  }
}
