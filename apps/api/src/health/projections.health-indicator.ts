import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';

import { ALERT_POLICY_NAME, AlertPolicyRunner } from '#alert-policy';
import { ALERT_STREAM_PREFIX } from '#alerts';
import {
  ACCOUNT_STREAM_PREFIX,
  ALERTS_PROJECTION_NAME,
  ReadModelHealth,
  type ProjectionLag,
} from '#read-model';

const CHECK_TIMEOUT_MS = 2000;

/** A projection readiness looks at besides the account projection (which `readmodel` reports). */
interface WatchedProjection {
  readonly name: string;
  readonly prefixes: readonly string[];
  /** Whether its lag can make this process unready (else it is only reported). */
  readonly counts: () => boolean;
}

/**
 * Up when no projection that matters here has more than the bound of events waiting. The alerts
 * projection fills tables the API reads, so its lag counts in every process, as the account
 * projection's does; the alert policy only writes alerts, so its lag counts only in the processes
 * that run it (the worker role). Each projection's checkpoint and lag are in the details.
 */
@Injectable()
export class ProjectionsHealthIndicator implements OnModuleInit {
  private runsAlertPolicy = false;
  private readonly watched: readonly WatchedProjection[] = [
    { name: ALERTS_PROJECTION_NAME, prefixes: [ALERT_STREAM_PREFIX], counts: () => true },
    {
      name: ALERT_POLICY_NAME,
      prefixes: [ACCOUNT_STREAM_PREFIX, ALERT_STREAM_PREFIX],
      counts: () => this.runsAlertPolicy,
    },
  ];

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly readModel: ReadModelHealth,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // The policy's module is there only with the worker role (standing by or leading).
    try {
      this.runsAlertPolicy = this.moduleRef.get(AlertPolicyRunner, { strict: false }) !== undefined;
    } catch {
      this.runsAlertPolicy = false;
    }
  }

  async check() {
    const session = this.health.check('projections');
    const lags = await Promise.all(
      this.watched.map(async (projection) => ({
        projection,
        lag: await this.readModel.projectionLag(projection.name, projection.prefixes, CHECK_TIMEOUT_MS),
      })),
    );
    const details: Record<string, unknown> = { bound: this.readModel.readyLagBound };
    const reasons: string[] = [];
    for (const { projection, lag } of lags) {
      const counts = projection.counts();
      details[projection.name] = describe(lag, counts);
      if (counts && lag.behind) reasons.push(`${projection.name}: ${lag.reason}`);
    }
    return reasons.length === 0
      ? session.up(details)
      : session.down({ ...details, message: reasons.join('; ') });
  }
}

function describe(lag: ProjectionLag, countsForReadiness: boolean) {
  return {
    checkpoint: lag.checkpoint ?? null,
    lagEvents: lag.lagEvents ?? null,
    countsForReadiness,
    ...(lag.reason === undefined ? {} : { reason: lag.reason }),
  };
}
