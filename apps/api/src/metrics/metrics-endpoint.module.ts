import { Module } from '@nestjs/common';

import { HttpMetrics } from './http-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { ProjectionMetrics } from './projection-metrics.js';

/**
 * GET /metrics and the metrics only the application sees (HTTP requests, projection positions).
 * Served by every process, whatever its roles: a worker's projections and webhooks are watched too.
 * Needs `MetricsModule` (global) and the read model.
 */
@Module({
  controllers: [MetricsController],
  providers: [HttpMetrics, ProjectionMetrics],
})
export class MetricsEndpointModule {}
