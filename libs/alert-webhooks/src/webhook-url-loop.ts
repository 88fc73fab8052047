import { performance } from 'node:perf_hooks';

import type { Logger } from '@nestjs/common';

import type { WebhookOutcome } from '#metrics';

import { sleep } from './abortable-sleep.js';
import type { AlertWebhookSettings } from './alert-webhook-settings.js';
import type { NotificationHead } from './notification-head.js';
import { backoffDelay } from './webhook-backoff.js';
import type { WebhookCursorStore } from './webhook-cursor-store.js';
import { LeaseLostError, WebhookLease } from './webhook-lease.js';
import { webhookPayload, type NotificationRow } from './webhook-payload.js';
import { sendWebhook, type WebhookRequest } from './webhook-sender.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.js';
import { displayWebhookUrl, webhookTarget, type WebhookTarget } from './webhook-target.js';

const USER_AGENT = 'customer-lifecycle-webhooks/1';

/**
 * Delivers the notifications to one URL, in order, one at a time, each until a 2xx, retrying with
 * backoff: a URL that fails or hangs delays only itself, as every URL has its own loop. It
 * delivers only while it holds the URL's lease, and records each delivery in `webhook_cursors`
 * before the next, so a worker that stops, or takes over, resumes after the last acknowledged one.
 */
export class WebhookUrlLoop {
  private readonly target: WebhookTarget;
  private readonly displayUrl: string;

  constructor(
    private readonly url: string,
    private readonly owner: string,
    private readonly secret: string,
    private readonly settings: AlertWebhookSettings,
    private readonly store: WebhookCursorStore,
    private readonly head: NotificationHead,
    private readonly logger: Logger,
    /** Told of each request's outcome (not of requests cut short by a shutdown or a lost lease). */
    private readonly onAttempt: (outcome: WebhookOutcome) => void = () => undefined,
  ) {
    this.target = webhookTarget(url);
    this.displayUrl = displayWebhookUrl(url);
  }

  /** Runs until `stop` aborts; gives up its lease then (the position stays). */
  async run(stop: AbortSignal): Promise<void> {
    let standingBy = false;
    while (!stop.aborted) {
      let lease: WebhookLease | undefined;
      try {
        const claimSentAt = performance.now();
        const delivered = await this.store.claim(this.url, this.owner, this.settings.leaseMs);
        if (delivered === undefined) {
          if (!standingBy) {
            this.logger.log({
              msg: 'Another worker delivers to this webhook; standing by',
              url: this.displayUrl,
            });
          }
          standingBy = true;
          await sleep(this.settings.claimIntervalMs, stop);
          continue;
        }
        standingBy = false;
        lease = new WebhookLease(
          this.store,
          this.url,
          this.owner,
          this.settings.leaseMs,
          stop,
          claimSentAt,
          this.logger,
          this.displayUrl,
        );
        this.logger.log({ msg: 'Delivering alert notifications', url: this.displayUrl, after: delivered });
        await this.deliverWhileLeased(lease, delivered);
      } catch (error) {
        if (stop.aborted) break;
        if (error instanceof LeaseLostError) {
          this.logger.warn({
            msg: 'Stopped delivering to a webhook',
            url: this.displayUrl,
            reason: error.message,
          });
        } else {
          this.logger.warn({
            msg: 'Webhook delivery interrupted; resuming',
            url: this.displayUrl,
            err: error,
          });
        }
        await sleep(this.settings.claimIntervalMs, stop);
      } finally {
        if (lease !== undefined) {
          lease.end();
          // Another worker may take over at once; a failure here leaves it to the lease's expiry.
          await this.store.release(this.url, this.owner).catch(() => undefined);
        }
      }
    }
  }

  private async deliverWhileLeased(lease: WebhookLease, deliveredSeq: number): Promise<never> {
    let delivered = deliveredSeq;
    for (;;) {
      lease.throwIfEnded();
      const batch = await this.store.notificationsAfter(delivered, this.settings.batchSize);
      if (batch.length === 0) {
        await this.head.beyond(delivered, lease.signal);
        continue;
      }
      for (const notification of batch) {
        await this.deliver(lease, notification);
        delivered = notification.seq;
      }
    }
  }

  /** Sends one notification until it is acknowledged; the same body and id on every attempt. */
  private async deliver(lease: WebhookLease, notification: NotificationRow): Promise<void> {
    const request = this.signedRequest(notification);
    for (let attempt = 1; ; attempt += 1) {
      lease.throwIfEnded();
      const outcome = await sendWebhook(this.target, request, {
        timeoutMs: this.settings.timeoutMs,
        signal: lease.signal,
      });
      if (outcome.ok) {
        this.onAttempt('delivered');
        await lease.advance(notification.seq);
        return;
      }
      // Cut short by shutdown or a lost lease: not the receiver's failure, and not retried here.
      lease.throwIfEnded();
      this.onAttempt('failed');
      const retryInMs = backoffDelay(attempt, this.settings.backoff);
      this.logger.warn({
        msg: 'Alert webhook delivery failed; retrying',
        url: this.displayUrl,
        deliveryId: notification.eventId,
        seq: notification.seq,
        attempt,
        retryInMs,
        err: outcome.error,
      });
      await lease.recordFailure(`${outcome.error} (seq ${notification.seq}, attempt ${attempt})`);
      await sleep(retryInMs, lease.signal);
    }
  }

  private signedRequest(notification: NotificationRow): WebhookRequest {
    const body = JSON.stringify(webhookPayload(notification));
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        [DELIVERY_HEADER]: notification.eventId,
        [EVENT_HEADER]: notification.type,
        [SIGNATURE_HEADER]: signWebhookBody(body, this.secret),
      },
    };
  }
}
