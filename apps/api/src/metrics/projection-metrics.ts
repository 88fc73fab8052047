import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { ALERT_POLICY_NAME } from '#alert-policy';
import { ALERT_STREAM_PREFIX } from '#alerts';
import { Metrics } from '#metrics';
import {
  ACCOUNT_PROJECTION_NAME,
  ACCOUNT_STREAM_PREFIX,
  ALERTS_PROJECTION_NAME,
  ReadModelHealth,
} from '#read-model';

/** Every checkpointed projection and the streams it follows. */
const PROJECTIONS = [
  { name: ACCOUNT_PROJECTION_NAME, prefixes: [ACCOUNT_STREAM_PREFIX] },
  { name: ALERTS_PROJECTION_NAME, prefixes: [ALERT_STREAM_PREFIX] },
  { name: ALERT_POLICY_NAME, prefixes: [ACCOUNT_STREAM_PREFIX, ALERT_STREAM_PREFIX] },
] as const;

const MEASURE_TIMEOUT_MS = 2000;

/**
 * The projections' gauges, read when scraped: each one's stored checkpoint (shared by every
 * process, whichever runs it) and the events of its streams after it, as readiness counts them.
 */
@Injectable()
export class ProjectionMetrics implements OnModuleInit, OnModuleDestroy {
  private remove: (() => void) | undefined;

  constructor(
    private readonly metrics: Metrics,
    private readonly readModel: ReadModelHealth,
  ) {}

  onModuleInit(): void {
    // A lag the scrape could not measure in time is left out, not kept: an old 0 reads as caught up.
    this.remove = this.metrics.addScrapeCollector(
      'projections',
      () => this.collect(),
      () => this.metrics.forgetProjectionLags(),
    );
  }

  onModuleDestroy(): void {
    this.remove?.();
  }

  private async collect(): Promise<void> {
    const lags = await Promise.all(
      PROJECTIONS.map(({ name, prefixes }) =>
        this.readModel.projectionLag(name, prefixes, MEASURE_TIMEOUT_MS),
      ),
    );
    for (const lag of lags) {
      this.metrics.recordProjection({
        projection: lag.projection,
        eventsApplied: lag.eventsApplied,
        checkpointCommitPosition: lag.position?.commit,
        lagEvents: lag.lagEvents,
      });
    }
  }
}
