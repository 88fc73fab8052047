import { Injectable, Logger } from '@nestjs/common';
import { eq, inArray } from 'drizzle-orm';

import { SYSTEM_PRINCIPAL, type CommandContext } from '#account-commands';
import { AlertCommandExecutor } from '#alert-commands';
import { AlertError, alertIdOf, autoResolve, severityOf, type AlertCommand } from '#alerts';
import { isExited } from '#lifecycle';
import type { Health } from '#lifecycle-views';
import {
  accountsHealthNow,
  accountVersions,
  healthWatch,
  lockProjection,
  monitorPositions,
  ReadModelDatabase,
  type ReadModelTx,
} from '#read-model';

import { accountVersionsAfter, healthReviewsDue, newestAccountVersion } from './nominations.js';

export const HEALTH_MONITOR_NAME = 'health-monitor';
/** The read-model version after which the monitor has not looked at changed accounts yet. */
const ACCOUNT_VERSION_POSITION = 'health-monitor.account-version';

export interface HealthReviewResult {
  readonly evaluated: number;
  readonly dropped: number;
  readonly recovered: number;
}

/** Accounts looked at per transaction: the monitor's lock and the connection are held that long. */
const CHUNK = 50;

/**
 * HEALTH_DROPPED for the health views show, computed for now: health decays with time, so a
 * band can fall to RED without any event. Each review looks at the accounts the read model
 * changed since the last one (account versions) and those whose band may have changed by the
 * passing of time (`health_watch.review_at`, the next instant their band can change), computes
 * their health for now, raises HEALTH_DROPPED when the band is RED and no such alert is open, and
 * resolves it when the band is AMBER or GREEN again. Its cost follows what changed or is due,
 * not the portfolio's size.
 *
 * The watch rows, the position and the alert commands go together under the monitor's lock, so
 * two replicas never both see the same fall. An alert's id counts the account's falls to RED: a
 * review that crashed after raising and runs again raises the same id, which is a no-op.
 * Exited accounts raise nothing (their decay is expected).
 */
@Injectable()
export class HealthMonitor {
  private readonly logger = new Logger('HealthMonitor');

  constructor(
    private readonly database: ReadModelDatabase,
    private readonly alerts: AlertCommandExecutor,
  ) {}

  /** Reviews up to `limit` accounts at `now`, in chunks. */
  async review(now: Date, limit = 1000): Promise<HealthReviewResult> {
    const total = { evaluated: 0, dropped: 0, recovered: 0 };
    while (total.evaluated < limit) {
      const chunk = await this.database.db.transaction((tx) => this.reviewChunk(tx, now));
      total.evaluated += chunk.evaluated;
      total.dropped += chunk.dropped;
      total.recovered += chunk.recovered;
      if (chunk.evaluated === 0 || !chunk.more) break;
    }
    return total;
  }

  private async reviewChunk(tx: ReadModelTx, now: Date): Promise<HealthReviewResult & { more: boolean }> {
    await lockProjection(tx, HEALTH_MONITOR_NAME);
    const { accountIds: changed, position, more } = await this.changedAccounts(tx);
    const due = await healthReviewsDue(tx, now, CHUNK);
    const candidates = [...new Set([...changed, ...due.map((row) => row.accountId)])];
    const watched = new Map(
      candidates.length === 0
        ? []
        : (await tx.select().from(healthWatch).where(inArray(healthWatch.accountId, candidates))).map(
            (row) => [row.accountId, row],
          ),
    );
    const context: CommandContext = {
      principal: SYSTEM_PRINCIPAL,
      correlationId: `health-review-${now.toISOString()}`,
      causationId: `health-review-${now.toISOString()}`,
    };

    // Every candidate's health in one statement: the chunk's transaction holds a connection (on
    // PGlite the only one) for as long as it asks.
    const healthNow = await accountsHealthNow(tx, candidates, now);
    let dropped = 0;
    let recovered = 0;
    for (const accountId of candidates) {
      const current = healthNow.get(accountId);
      if (current === undefined) {
        // Not in the read model (being rebuilt): look again when it changes, not at every chunk.
        await tx.update(healthWatch).set({ reviewAt: null }).where(eq(healthWatch.accountId, accountId));
        continue;
      }
      const previous = watched.get(accountId);
      let drops = previous?.drops ?? 0;
      let alertId = previous?.alertId ?? null;
      const { band, score } = current.health;
      if (band === 'RED' && alertId === null && !isExited(current.stage)) {
        drops += 1;
        alertId = alertIdOf('HEALTH_DROPPED', accountId, null, `drop-${drops}`);
        await this.execute(
          {
            type: 'RaiseAlert',
            data: {
              alertId,
              kind: 'HEALTH_DROPPED',
              severity: severityOf('HEALTH_DROPPED', current.tier),
              accountId,
              subject: null,
              title: `Health fell to RED (${score})`,
              detail: weakestFactors(current.health),
              cause: context.causationId,
            },
          },
          context,
        );
        dropped += 1;
      } else if (band !== 'RED' && alertId !== null) {
        await this.execute(
          autoResolve(alertId, `Health is back to ${band} (${score})`, context.causationId),
          context,
        );
        alertId = null;
        recovered += 1;
      }
      const row = {
        band,
        score,
        evaluatedAt: now,
        reviewAt: isExited(current.stage) ? null : current.reviewAt,
        drops,
        alertId,
      };
      await tx
        .insert(healthWatch)
        .values({ accountId, ...row })
        .onConflictDoUpdate({ target: healthWatch.accountId, set: row });
    }
    if (position !== undefined) {
      await tx
        .insert(monitorPositions)
        .values({ name: ACCOUNT_VERSION_POSITION, position })
        .onConflictDoUpdate({ target: monitorPositions.name, set: { position } });
    }
    return { evaluated: candidates.length, dropped, recovered, more: more || due.length === CHUNK };
  }

  /**
   * Accounts with a read-model version after the stored position, a whole version at a time, and
   * the position after them. A rebuilt read model numbers its versions afresh: a position beyond
   * its newest version starts over from the beginning.
   */
  private async changedAccounts(
    tx: ReadModelTx,
  ): Promise<{ accountIds: string[]; position: number | undefined; more: boolean }> {
    const [stored] = await tx
      .select({ position: monitorPositions.position })
      .from(monitorPositions)
      .where(eq(monitorPositions.name, ACCOUNT_VERSION_POSITION));
    let seen = Number(stored?.position ?? 0);
    if ((await newestAccountVersion(tx)) < seen) seen = 0;
    const rows = await accountVersionsAfter(tx, seen, CHUNK);
    if (rows.length === 0) return { accountIds: [], position: stored ? seen : undefined, more: false };
    const last = Number(rows[rows.length - 1].version);
    let taken = rows;
    if (rows.length === CHUNK) {
      // Take whole versions only: the last one may go on beyond the page.
      taken = rows.filter((row) => Number(row.version) < last);
      if (taken.length === 0) {
        taken = await tx
          .select({ accountId: accountVersions.accountId, version: accountVersions.validFrom })
          .from(accountVersions)
          .where(eq(accountVersions.validFrom, last));
      }
    }
    const position = Math.max(...taken.map((row) => Number(row.version)));
    return {
      accountIds: [...new Set(taken.map((row) => row.accountId))],
      position,
      more: rows.length === CHUNK,
    };
  }

  private async execute(command: AlertCommand, context: CommandContext): Promise<void> {
    try {
      await this.alerts.execute(command, context);
    } catch (error) {
      // A refusal (e.g. resolving what a person resolved meanwhile) is final; anything else retries.
      if (!(error instanceof AlertError)) throw error;
      this.logger.debug({ msg: 'A health alert command changed nothing', alertId: command.data.alertId });
    }
  }
}

/** The two factors furthest below their maximum, with their explanations. */
function weakestFactors(health: Health): string {
  return [...health.factors]
    .sort((a, b) => b.maxPoints - b.points - (a.maxPoints - a.points))
    .slice(0, 2)
    .map((factor) => `${factor.name} ${factor.points}/${factor.maxPoints}: ${factor.detail}`)
    .join('; ');
}
