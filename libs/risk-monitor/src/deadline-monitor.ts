import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { and, asc, eq, isNotNull, lt } from 'drizzle-orm';

import {
  Clock,
  RecordAccountSilentCommand,
  RecordCommitmentMissedCommand,
  SYSTEM_PRINCIPAL,
  type AccountCommandsResult,
  type CommandContext,
} from '#account-commands';
import { AppConfig } from '#config';
import { accounts, commitments, ReadModelDatabase } from '#read-model';

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
}

const CONCURRENCY = 8;

/**
 * Every RISK_SCAN_INTERVAL_MS, finds through indexed read-model queries the commitments whose due
 * time passed while OPEN and the accounts whose silence deadline passed, and sends the system's
 * commands for them. The read model only nominates: each command is decided against the account's
 * stream at the scan's instant, so a commitment fulfilled meanwhile, or a touch that just ended the
 * silence, leaves nothing recorded, and a second monitor (another replica) records nothing twice.
 * Its cost follows what is due (partial indexes on open due dates and silence deadlines), not the
 * size of the portfolio.
 */
@Injectable()
export class DeadlineMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeadlineMonitor');
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<ScanResult> | undefined;
  private stopped = false;

  constructor(
    private readonly database: ReadModelDatabase,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
    private readonly config: AppConfig,
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
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning?.catch(() => undefined);
  }

  /** One scan at `now`; scans never overlap. */
  scanOnce(now: Date = this.clock.now()): Promise<ScanResult> {
    const previous = this.scanning ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.scan(now));
    this.scanning = next;
    return next;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scanOnce()
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'Deadline scan failed; retrying at the next one', err: error }),
        )
        .finally(() => this.schedule());
    }, this.config.riskScanIntervalMs);
    this.timer.unref();
  }

  private async scan(now: Date): Promise<ScanResult> {
    const limit = this.options.batchLimit ?? 1000;
    const db = this.database.db;
    const overdue = await db
      .select({ accountId: commitments.accountId, commitmentId: commitments.id })
      .from(commitments)
      .where(and(eq(commitments.status, 'OPEN'), lt(commitments.dueAt, now)))
      .orderBy(asc(commitments.dueAt))
      .limit(limit);
    const silent = await db
      .select({ accountId: accounts.id })
      .from(accounts)
      .where(and(isNotNull(accounts.silenceDeadline), lt(accounts.silenceDeadline, now)))
      .orderBy(asc(accounts.silenceDeadline))
      .limit(limit);

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
    const result = {
      at: now,
      overdueFound: overdue.length,
      missedRecorded,
      silenceFound: silent.length,
      silentRecorded,
    };
    if (missedRecorded + silentRecorded > 0) this.logger.log({ msg: 'Deadlines recorded', ...result });
    return result;
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
