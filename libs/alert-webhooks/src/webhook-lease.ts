import { performance } from 'node:perf_hooks';

import type { Logger } from '@nestjs/common';

import type { WebhookCursorStore } from './webhook-cursor-store.js';

/** The lease on a URL ended: another worker holds it, or it could not be renewed in time. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/**
 * One worker's hold on one URL, from a successful claim until it is lost or given up. It renews
 * itself every third of the lease, also while a request is under way, and ends (its `signal`
 * aborts, cutting short any request) when a renewal finds another owner, or when no renewal
 * succeeded for too long: counted from when the last successful statement was sent, which is
 * before the database set the expiry, so this worker stops before anyone else may start.
 */
export class WebhookLease {
  private readonly controller = new AbortController();
  /** Aborts when the lease ends: lost, not renewed in time, or the worker stopping. */
  readonly signal = this.controller.signal;
  private validUntil = 0;
  private expiry: NodeJS.Timeout | undefined;
  private readonly renewal: NodeJS.Timeout;
  private renewing = false;
  private ended = false;
  private readonly onStop = () => this.controller.abort(this.stop.reason);

  constructor(
    private readonly store: WebhookCursorStore,
    private readonly url: string,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly stop: AbortSignal,
    claimSentAt: number,
    private readonly logger: Logger,
    private readonly displayUrl: string,
  ) {
    if (stop.aborted) this.onStop();
    else stop.addEventListener('abort', this.onStop, { once: true });
    this.confirm(claimSentAt);
    this.renewal = setInterval(() => void this.renew(), Math.max(1, Math.floor(leaseMs / 3)));
    this.renewal.unref();
  }

  /** Throws why the lease ended (shutdown or {@link LeaseLostError}) once it has. */
  throwIfEnded(): void {
    this.signal.throwIfAborted();
  }

  /** Records `seq` as delivered. */
  async advance(seq: number): Promise<void> {
    const sentAt = performance.now();
    this.held(await this.store.advance(this.url, this.owner, seq, this.leaseMs), sentAt);
  }

  async recordFailure(error: string): Promise<void> {
    const sentAt = performance.now();
    this.held(await this.store.recordFailure(this.url, this.owner, error, this.leaseMs), sentAt);
  }

  /** Stops renewing; the caller releases the row. */
  end(): void {
    this.ended = true;
    clearInterval(this.renewal);
    clearTimeout(this.expiry);
    this.stop.removeEventListener('abort', this.onStop);
  }

  private held(stillHeld: boolean, sentAt: number): void {
    if (stillHeld) {
      this.confirm(sentAt);
      return;
    }
    this.lose(new LeaseLostError('another worker holds the lease'));
    this.throwIfEnded();
  }

  private confirm(sentAt: number): void {
    if (this.ended || this.signal.aborted) return;
    // A sixth of the lease spare: time for this worker to notice and abort before the row expires.
    this.validUntil = Math.max(this.validUntil, sentAt + this.leaseMs - this.leaseMs / 6);
    clearTimeout(this.expiry);
    this.expiry = setTimeout(
      () => this.lose(new LeaseLostError('the lease could not be renewed in time')),
      Math.max(0, this.validUntil - performance.now()),
    );
    this.expiry.unref();
  }

  private lose(reason: LeaseLostError): void {
    this.end();
    this.controller.abort(reason);
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.ended || this.signal.aborted) return;
    this.renewing = true;
    const sentAt = performance.now();
    try {
      if (await this.store.renew(this.url, this.owner, this.leaseMs)) this.confirm(sentAt);
      else this.lose(new LeaseLostError('another worker holds the lease'));
    } catch (error) {
      // The next renewal tries again; the expiry timer ends the lease if none gets through.
      this.logger.warn({ msg: 'Renewing a webhook lease failed', url: this.displayUrl, err: error });
    } finally {
      this.renewing = false;
    }
  }
}
