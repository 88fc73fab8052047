import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { EventStoreHealthIndicator } from './event-store.health-indicator.js';
import { HealthController } from './health.controller.js';
import { ProjectionsHealthIndicator } from './projections.health-indicator.js';
import { ReadModelHealthIndicator } from './read-model.health-indicator.js';
import { WorkerHealthIndicator } from './worker.health-indicator.js';

@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [HealthController],
  providers: [
    EventStoreHealthIndicator,
    ReadModelHealthIndicator,
    WorkerHealthIndicator,
    ProjectionsHealthIndicator,
  ],
})
export class HealthModule {}
