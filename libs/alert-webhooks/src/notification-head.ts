import type { Logger } from '@nestjs/common';

interface Waiter {
  readonly after: number;
  readonly wake: () => void;
}

/**
 * Wakes the URLs' loops when notifications arrive: one `max(seq)` query every poll interval while
 * any loop waits, however many URLs there are, and none while all are busy delivering.
 */
export class NotificationHead {
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private failing = false;

  constructor(
    private readonly readHead: () => Promise<number>,
    private readonly pollIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Resolves once a poll finds a notification after position `after`, or when `signal` aborts. */
  beyond(after: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        after,
        wake: () => {
          this.waiters.delete(waiter);
          signal.removeEventListener('abort', waiter.wake);
          // Nobody waits: no query until someone does (nor after shutdown, once the database is closed).
          if (this.waiters.size === 0) {
            clearTimeout(this.timer);
            this.timer = undefined;
          }
          resolve();
        },
      };
      signal.addEventListener('abort', waiter.wake, { once: true });
      this.waiters.add(waiter);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer !== undefined || this.polling || this.waiters.size === 0) return;
    this.timer = setTimeout(() => void this.poll(), this.pollIntervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.waiters.size === 0) return;
    this.polling = true;
    try {
      const head = await this.readHead();
      if (this.failing) this.logger.log({ msg: 'Reading alert notifications works again' });
      this.failing = false;
      for (const waiter of [...this.waiters]) if (head > waiter.after) waiter.wake();
    } catch (error) {
      // Said once per outage, not at every poll.
      if (!this.failing)
        this.logger.warn({ msg: 'Reading alert notifications failed; retrying', err: error });
      this.failing = true;
    } finally {
      this.polling = false;
      this.schedule();
    }
  }
}
