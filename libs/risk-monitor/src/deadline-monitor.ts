import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { inArray } from 'drizzle-orm';

import {
  AccountCommandExecutor,
  Clock,
  RecordAccountSilentCommand,
  RecordCommitmentMissedCommand,
  SYSTEM_PRINCIPAL,
  type AccountCommandsResult,
  type CommandContext,
} from '#account-commands';
import { AlertCommandExecutor } from '#alert-commands';
import {
  AlertError,
  alertIdOf,
  DUE_SOON_WINDOW_MS,
  severityOf,
  SEVERITIES,
  stepUp,
  type AlertCommand,
} from '#alerts';
import { AppConfig } from '#config';
import { DAY_MS, effectiveCadenceDays, isExited, lookupById } from '#lifecycle';
import { alerts, ReadModelDatabase } from '#read-model';

import { HealthMonitor, type HealthReviewResult } from './health-monitor.js';
import {
  accountsPastSilenceDeadline,
  accountsReachingSilenceDeadline,
  commitmentsComingDue,
  commitmentsDueSoon,
  overdueCommitments,
  silenceAlertsPastTwiceTheCadence,
} from './nominations.js';

export interface DeadlineMonitorOptions {
  /** Start scanning when the application starts; default true. */
  readonly autoStart?: boolean;
  /** Most deadlines handled per kind and scan; the rest wait for the next scan. */
  readonly batchLimit?: number;
}

export const DEADLINE_MONITOR_OPTIONS = Symbol('DEADLINE_MONITOR_OPTIONS');

/** What one scan found and recorded. */
export interface ScanResult {
  readonly at: Date;
  /** Commitments past due while OPEN in the read model, and how many the stream confirmed. */
  readonly overdueFound: number;
  readonly missedRecorded: number;
  /** Accounts past their silence deadline, and how many the stream confirmed. */
  readonly silenceFound: number;
  readonly silentRecorded: number;
  /** OPEN commitments due within 48 h without their alert yet, and how many were raised. */
  readonly dueSoonFound: number;
  readonly dueSoonRaised: number;
  /** Open ACCOUNT_SILENT alerts silent for twice the cadence, and how many were escalated. */
  readonly escalationFound: number;
  readonly escalated: number;
  /** Due times and silence deadlines coming before the next scan, newly armed to be recorded at their instant. */
  readonly deadlinesArmed: number;
}

const CONCURRENCY = 8;

/**
 * Every RISK_SCAN_INTERVAL_MS, finds through indexed read-model queries the commitments whose due
 * time passed while OPEN, those due within 48 h (COMMITMENT_DUE_SOON), the accounts whose silence
 * deadline passed, the silent accounts' alerts due for escalation (silent for twice the cadence),
 * and sends the system's commands for them. On a timer of its own, it has the HealthMonitor look
 * at the accounts whose health for now may have changed. The read model only nominates: each
 * command is decided against the account's stream at the scan's instant, so a commitment fulfilled meanwhile, or a touch that just ended the
 * silence, leaves nothing recorded, and a second monitor (another replica) records nothing twice.
 * Its cost follows what is due (partial indexes on open due dates and silence deadlines), not the
 * size of the portfolio.
 *
 * Each scan also arms a timer for every due time and silence deadline that comes before the next
 * scan, which sends the same command one millisecond after that instant: a commitment is recorded
 * missed when it is missed, not up to an interval later. The scan stays the safety net (a timer
 * lost with the process, a deadline moved meanwhile): the stream decides, so a command sent twice
 * records once.
 */
@Injectable()
export class DeadlineMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeadlineMonitor');
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<ScanResult> | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private reviewing: Promise<HealthReviewResult> | undefined;
  private stopped = false;
  /** Deadlines armed to fire at their instant, by what and when (a moved deadline is armed anew). */
  private readonly armed = new Map<string, NodeJS.Timeout>();
  /** Commands sent by armed deadlines and not finished yet: stop() waits for them. */
  private readonly firing = new Set<Promise<unknown>>();

  constructor(
    private readonly database: ReadModelDatabase,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly accountStreams: AccountCommandExecutor,
    private readonly alertStreams: AlertCommandExecutor,
    private readonly health: HealthMonitor,
    @Inject(DEADLINE_MONITOR_OPTIONS) private readonly options: DeadlineMonitorOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.autoStart ?? true) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    this.stopped = false;
    this.schedule();
    this.scheduleHealthReview();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.healthTimer);
    await Promise.all([this.scanning?.catch(() => undefined), this.reviewing?.catch(() => undefined)]);
    for (const timer of this.armed.values()) clearTimeout(timer);
    this.armed.clear();
    await Promise.all(this.firing);
  }

  /** One scan at `now`; scans never overlap. */
  scanOnce(now: Date = this.clock.now()): Promise<ScanResult> {
    const previous = this.scanning ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.scan(now));
    this.scanning = next;
    return next;
  }

  /**
   * Health reviews run on their own timer: a long review (many accounts changed at once) must
   * not hold up the next deadline scan, which is what makes a missed commitment known on time.
   */
  private scheduleHealthReview(): void {
    if (this.stopped) return;
    this.healthTimer = setTimeout(() => {
      const limit = this.options.batchLimit ?? 1000;
      this.reviewing = this.health.review(this.clock.now(), limit);
      this.reviewing
        .then((result) => {
          if (result.dropped + result.recovered > 0)
            this.logger.log({ msg: 'Health alerts recorded', ...result });
        })
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'Health review failed; retrying at the next one', err: error }),
        )
        .finally(() => this.scheduleHealthReview());
    }, this.config.riskScanIntervalMs);
    this.healthTimer.unref();
  }

  /**
   * Scans start every RISK_SCAN_INTERVAL_MS, counted from the start of the previous one (at once
   * after a scan that took longer): waiting the whole interval after each scan ended would add
   * the scan's own duration to the time a deadline waits to be seen, and most to the busiest.
   */
  private schedule(delayMs = this.config.riskScanIntervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = performance.now();
      this.scanOnce()
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'Deadline scan failed; retrying at the next one', err: error }),
        )
        .finally(() =>
          this.schedule(Math.max(0, this.config.riskScanIntervalMs - (performance.now() - started))),
        );
    }, delayMs);
    this.timer.unref();
  }

  private async scan(now: Date): Promise<ScanResult> {
    const limit = this.options.batchLimit ?? 1000;
    const db = this.database.db;
    const overdue = await overdueCommitments(db, now, limit);
    const silent = await accountsPastSilenceDeadline(db, now, limit);

    const context: CommandContext = {
      principal: SYSTEM_PRINCIPAL,
      correlationId: `deadline-scan-${now.toISOString()}`,
      causationId: `deadline-scan-${now.toISOString()}`,
    };
    const missedRecorded = await this.runAll(
      overdue.map((row) => () => this.execute(new RecordCommitmentMissedCommand(row, context))),
    );
    const silentRecorded = await this.runAll(
      silent.map((row) => () => this.execute(new RecordAccountSilentCommand(row, context))),
    );
    const dueSoon = await this.dueSoon(now, limit, context);
    const escalation = await this.escalate(now, limit, context);
    const deadlinesArmed = await this.armComing(now, limit);
    const result = {
      at: now,
      overdueFound: overdue.length,
      missedRecorded,
      silenceFound: silent.length,
      silentRecorded,
      dueSoonFound: dueSoon.found,
      dueSoonRaised: dueSoon.raised,
      escalationFound: escalation.found,
      escalated: escalation.escalated,
      deadlinesArmed,
    };
    if (missedRecorded + silentRecorded + dueSoon.raised + escalation.escalated > 0)
      this.logger.log({ msg: 'Deadlines recorded', ...result });
    return result;
  }

  /**
   * Arms the due times and silence deadlines that come before the next scan (a margin over the
   * interval, in case it runs late); returns how many were not armed already.
   */
  private async armComing(now: Date, limit: number): Promise<number> {
    const until = new Date(now.getTime() + 2 * this.config.riskScanIntervalMs);
    const commitments = await commitmentsComingDue(this.database.db, now, until, limit);
    const silences = await accountsReachingSilenceDeadline(this.database.db, now, until, limit);
    let armed = 0;
    for (const { accountId, commitmentId, dueAt } of commitments) {
      const key = `missed:${accountId}:${commitmentId}:${dueAt.getTime()}`;
      if (
        this.arm(
          key,
          dueAt,
          (context) => new RecordCommitmentMissedCommand({ accountId, commitmentId }, context),
        )
      )
        armed += 1;
    }
    for (const { accountId, silenceDeadline } of silences) {
      if (silenceDeadline === null) continue;
      const key = `silent:${accountId}:${silenceDeadline.getTime()}`;
      if (this.arm(key, silenceDeadline, (context) => new RecordAccountSilentCommand({ accountId }, context)))
        armed += 1;
    }
    return armed;
  }

  /** Sends `command` just after `at` (both deciders need the instant strictly past); false if armed already. */
  private arm(key: string, at: Date, command: (context: CommandContext) => object): boolean {
    if (this.stopped || this.armed.has(key)) return false;
    const wait = () => {
      const timer = setTimeout(
        () => {
          // Timers keep the monotonic clock, which may run a millisecond ahead of the wall clock
          // the deciders read: too early, and the command would decide nothing was due yet.
          if (this.clock.now().getTime() <= at.getTime()) return wait();
          this.armed.delete(key);
          if (this.stopped) return;
          this.fire(key, command);
        },
        Math.max(0, at.getTime() - this.clock.now().getTime() + 1),
      );
      timer.unref();
      this.armed.set(key, timer);
    };
    wait();
    return true;
  }

  private fire(key: string, command: (context: CommandContext) => object): void {
    const id = `deadline-${key}`;
    const sent = this.execute(command({ principal: SYSTEM_PRINCIPAL, correlationId: id, causationId: id }))
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'An armed deadline’s command failed; the next scan retries it', err: error }),
      )
      .finally(() => this.firing.delete(sent));
    this.firing.add(sent);
  }

  /**
   * COMMITMENT_DUE_SOON for OPEN commitments due within 48 h whose alert (one per due date) does
   * not exist yet. Each is checked against the account's stream at `now` before it is raised; a
   * fulfilment that slips in between is seen by the alert policy, which resolves the alert.
   */
  private async dueSoon(now: Date, limit: number, context: CommandContext) {
    const rows = await commitmentsDueSoon(this.database.db, now, limit);
    const alertIdOfRow = (row: (typeof rows)[number]) =>
      alertIdOf('COMMITMENT_DUE_SOON', row.accountId, row.commitmentId, row.dueAt.toISOString());
    const existing = await this.existingAlerts(rows.map(alertIdOfRow));
    const candidates = rows.filter((row) => !existing.has(alertIdOfRow(row)));
    const raised = await this.runAll(
      candidates.map((row) => async () => {
        const { state } = await this.accountStreams.load(row.accountId);
        const commitment = state === null ? undefined : lookupById(state.commitments, row.commitmentId);
        if (state === null || commitment === undefined || commitment.status !== 'OPEN') return false;
        const dueAt = new Date(commitment.dueAt);
        if (dueAt <= now || dueAt.getTime() - now.getTime() > DUE_SOON_WINDOW_MS) return false;
        return this.alert(
          {
            type: 'RaiseAlert',
            data: {
              alertId: alertIdOf('COMMITMENT_DUE_SOON', row.accountId, row.commitmentId, dueAt.toISOString()),
              kind: 'COMMITMENT_DUE_SOON',
              severity: severityOf('COMMITMENT_DUE_SOON', state.tier),
              accountId: row.accountId,
              subject: row.commitmentId,
              title: 'A commitment is due within 48 hours',
              detail: `Due ${dueAt.toISOString()}`,
              cause: context.causationId,
            },
          },
          context,
        );
      }),
    );
    return { found: candidates.length, raised };
  }

  /**
   * ACCOUNT_SILENT one step higher once the account has been silent for twice its cadence: open
   * silence alerts still at their raised severity, checked against the account's stream (still
   * silent, the same silence, twice the cadence passed).
   */
  private async escalate(now: Date, limit: number, context: CommandContext) {
    const rows = await silenceAlertsPastTwiceTheCadence(this.database.db, now, limit);
    const candidates = rows.filter(
      (row) => SEVERITIES.indexOf(row.severity) <= SEVERITIES.indexOf(severityOf('ACCOUNT_SILENT', row.tier)),
    );
    const escalated = await this.runAll(
      candidates.map((row) => async () => {
        const { state } = await this.accountStreams.load(row.accountId);
        if (state === null || !state.silent || state.silentSince === null || isExited(state.stage))
          return false;
        const cadenceDays = effectiveCadenceDays(state);
        const silentFor = now.getTime() - new Date(state.silentSince).getTime();
        if (silentFor <= 2 * cadenceDays * DAY_MS) return false;
        // Only the alert of the silence going on now.
        if (alertIdOf('ACCOUNT_SILENT', row.accountId, null, state.silentSince) !== row.alertId) return false;
        return this.alert(
          {
            type: 'EscalateAlert',
            data: {
              alertId: row.alertId,
              to: stepUp(severityOf('ACCOUNT_SILENT', state.tier)),
              reason: `Silent for more than twice the cadence (${2 * cadenceDays} days) since ${state.silentSince}`,
            },
          },
          context,
        );
      }),
    );
    return { found: candidates.length, escalated };
  }

  private async existingAlerts(alertIds: readonly string[]): Promise<Set<string>> {
    if (alertIds.length === 0) return new Set();
    const rows = await this.database.db
      .select({ alertId: alerts.alertId })
      .from(alerts)
      .where(inArray(alerts.alertId, [...alertIds]));
    return new Set(rows.map((row) => row.alertId));
  }

  /** Whether the alert command wrote something; a refusal (the alert resolved meanwhile) is not an error. */
  private async alert(command: AlertCommand, context: CommandContext): Promise<boolean> {
    try {
      return (await this.alertStreams.execute(command, context)).outcome === 'created';
    } catch (error) {
      if (error instanceof AlertError) return false;
      throw error;
    }
  }

  /** Whether the command recorded something. */
  private async execute(command: object): Promise<boolean> {
    const outcome = (await this.commands.execute(command as never)) as AccountCommandsResult;
    return outcome.results.some((result) => result.status === 'created');
  }

  /** Runs the tasks with bounded concurrency; counts those that recorded something. */
  private async runAll(tasks: Array<() => Promise<boolean>>): Promise<number> {
    let recorded = 0;
    const queue = [...tasks];
    const worker = async () => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        try {
          if (await task()) recorded += 1;
        } catch (error) {
          this.logger.warn({ msg: 'A deadline command failed; the next scan retries it', err: error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
    return recorded;
  }
}
