import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';

import { AppConfig } from '#config';

/** Whether this process runs the worker's components now (`leader`) or waits to (`standby`). */
export type LeadershipState = 'leader' | 'standby';

/**
 * How the leader is chosen: `advisory-lock` among the processes sharing a PostgreSQL database;
 * `single-process` on PGlite, whose data directory admits one process only.
 */
export type LeadershipMode = 'advisory-lock' | 'single-process';

export interface WorkerLeaseOptions {
  /** How often a standby asks for the lock, and the leader checks the lock's connection; default 1000 ms. */
  readonly intervalMs?: number;
  /** Longest wait for an answer on the lock's connection before it counts as lost; default 5000 ms. */
  readonly timeoutMs?: number;
  /** The advisory lock's key; default {@link WORKER_LOCK_KEY}. */
  readonly lockKey?: number;
}

export const WORKER_LEASE_OPTIONS = Symbol('WORKER_LEASE_OPTIONS');

/** The worker's advisory lock (beside the read model's migration lock 72_011_117 and the rebuild's 72_011_118). */
export const WORKER_LOCK_KEY = 72_011_119;

/** What leadership switches on and off. */
export interface LeadershipHandlers {
  /** Starts the worker's components; throwing gives the lock back (asked for again at the next interval). */
  acquired(): Promise<void>;
  /** Stops them: the lock's connection is lost, or the process stops. */
  lost(): Promise<void>;
}

/**
 * One worker at a time among the processes sharing a PostgreSQL database: the holder of a
 * session-level advisory lock (`pg_try_advisory_lock`) on a connection of its own (the read
 * model's pool hands connections around, so a lock taken through it would stay with nobody). A
 * standby asks again every interval. The lock lives as long as the holder's session: a holder
 * killed outright frees it as soon as the server sees the connection close, and a standby takes
 * over at its next attempt. The holder checks its connection every interval and, once it is lost
 * or does not answer in time, stops its components before it may ask again; by then the server may
 * have handed the lock to another process.
 *
 * On PGlite (no DATABASE_URL) the process leads at once: its data directory's lock already keeps
 * any second process out.
 */
@Injectable()
export class WorkerLeadership implements OnApplicationShutdown {
  private readonly logger = new Logger('WorkerLeadership');
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly lockKey: number;
  private current: LeadershipState = 'standby';
  private handlers: LeadershipHandlers | undefined;
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private announcedStandby = false;
  /** Attempts, checks and losses, one at a time. */
  private steps: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    @Inject(WORKER_LEASE_OPTIONS) options: WorkerLeaseOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.lockKey = options.lockKey ?? WORKER_LOCK_KEY;
  }

  get state(): LeadershipState {
    return this.current;
  }

  get mode(): LeadershipMode {
    return this.config.databaseUrl === undefined ? 'single-process' : 'advisory-lock';
  }

  /**
   * Starts contending for leadership. Resolves after the first attempt: leading (`acquired` has
   * resolved) or standing by (asking again every interval).
   */
  async start(handlers: LeadershipHandlers): Promise<void> {
    if (!this.stopped) throw new Error('Worker leadership is already contended for');
    this.handlers = handlers;
    this.stopped = false;
    if (this.mode === 'single-process') {
      // A failure here fails the start, as a component failing to start always has.
      this.current = 'leader';
      this.logger.log({ msg: 'Running the worker (single process: nothing to contend with)' });
      await handlers.acquired();
      return;
    }
    await this.step(() => this.attempt());
    this.schedule();
  }

  /** Stops contending; a leader stops its components (`lost`), then gives the lock back. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return this.steps;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.step(async () => {
      if (this.current === 'leader') await this.resign('stopping', 'log');
      await this.disconnect();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.step(() => this.attempt()).finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Runs `action` after the steps before it; never rejects. */
  private step(action: () => Promise<void>): Promise<void> {
    const next = this.steps.then(action).catch((error: unknown) => {
      this.logger.error({ msg: 'Worker leadership step failed', err: error });
    });
    this.steps = next;
    return next;
  }

  /** A standby asks for the lock; the leader checks that its connection still answers. */
  private async attempt(): Promise<void> {
    if (this.stopped) return;
    if (this.current === 'leader') {
      try {
        await this.query('select 1');
      } catch (error) {
        await this.resign('the connection holding the worker lock does not answer', 'warn', error);
      }
      return;
    }
    let taken: boolean;
    try {
      const rows = await this.query<{ taken: boolean }>('select pg_try_advisory_lock($1) as taken', [
        this.lockKey,
      ]);
      taken = rows[0]?.taken === true;
    } catch (error) {
      this.logger.warn({ msg: 'Could not ask for the worker lock; asking again', err: error });
      await this.disconnect();
      return;
    }
    if (!taken) {
      if (!this.announcedStandby) {
        this.logger.log({ msg: 'Standing by: another process holds the worker lock', worker: 'standby' });
        this.announcedStandby = true;
      }
      return;
    }
    this.current = 'leader';
    this.announcedStandby = false;
    this.logger.log({ msg: 'Took the worker lock: this process runs the worker', worker: 'leader' });
    try {
      await this.handlers?.acquired();
    } catch (error) {
      await this.resign('the worker could not start', 'error', error);
    }
  }

  /** Stops the components, then closes the lock's connection, which frees the lock if it still holds it. */
  private async resign(why: string, level: 'log' | 'warn' | 'error', error?: unknown): Promise<void> {
    this.current = 'standby';
    const entry = {
      msg: `Giving up the worker lock: ${why}`,
      worker: 'standby',
      ...(error === undefined ? {} : { err: error }),
    };
    if (level === 'log') this.logger.log(entry);
    else if (level === 'warn') this.logger.warn(entry);
    else this.logger.error(entry);
    try {
      await this.handlers?.lost();
    } catch (stopError) {
      this.logger.error({ msg: 'Stopping the worker failed', err: stopError });
    }
    await this.disconnect();
  }

  private async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
    const client = await this.connection();
    return (await this.withinTimeout(client.query<Row>(text, values), `"${text}"`)).rows;
  }

  private async connection(): Promise<pg.Client> {
    if (this.client !== undefined) return this.client;
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      keepAlive: true,
      connectionTimeoutMillis: this.timeoutMs,
      application_name: 'customer-lifecycle worker lock',
    });
    // Without listeners a lost connection would crash the process; with them, a leader learns at once.
    client.on('error', (error) => this.connectionLost(client, error));
    client.on('end', () => this.connectionLost(client));
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      await this.disconnect();
      throw error;
    }
    return client;
  }

  private connectionLost(client: pg.Client, error?: unknown): void {
    if (client !== this.client) return;
    this.client = undefined;
    void this.step(async () => {
      if (this.current === 'leader' && !this.stopped) {
        await this.resign('lost the connection holding the worker lock', 'warn', error);
      }
    });
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    // A dead connection may never answer the goodbye: do not wait for it longer than for a query.
    await this.withinTimeout(client.end(), 'closing the connection').catch(() => undefined);
  }

  private withinTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`No answer to ${what} within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
