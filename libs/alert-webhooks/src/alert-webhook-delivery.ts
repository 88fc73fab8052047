import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';

import { Metrics } from '#metrics';
import { ReadModelDatabase } from '#read-model';

import { ALERT_WEBHOOK_SETTINGS, type AlertWebhookSettings } from './alert-webhook-settings.js';
import { NotificationHead } from './notification-head.js';
import { WebhookCursorStore } from './webhook-cursor-store.js';
import { displayWebhookUrl } from './webhook-target.js';
import { WebhookUrlLoop } from './webhook-url-loop.js';

/**
 * POSTs every alert notification (`alert_notifications`, in order) to each ALERT_WEBHOOK_URLS
 * URL, signed, at least once: one independent loop per URL, positions and leases in
 * `webhook_cursors`. Idle when no URL is configured.
 */
@Injectable()
export class AlertWebhookDelivery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertWebhooks');
  /** This worker's name in `webhook_cursors.lease_owner`. */
  readonly workerId: string;
  private stopping: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly database: ReadModelDatabase,
    @Inject(ALERT_WEBHOOK_SETTINGS) private readonly settings: AlertWebhookSettings,
    @Optional() private readonly metrics?: Metrics,
  ) {
    if (settings.urls.length > 0 && !settings.secret) {
      throw new Error('Alert webhooks need a secret to sign with (ALERT_WEBHOOK_SECRET)');
    }
    this.workerId = settings.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  onApplicationBootstrap(): void {
    if (this.settings.autoStart) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Whether URLs are configured (without any, the service stays idle). */
  get enabled(): boolean {
    return this.settings.urls.length > 0;
  }

  start(): void {
    if (this.running !== undefined || !this.enabled) return;
    const stopping = new AbortController();
    const store = new WebhookCursorStore(this.database.db);
    const head = new NotificationHead(() => store.head(), this.settings.pollIntervalMs, this.logger);
    const secret = this.settings.secret as string;
    // Metrics name a URL by its position in ALERT_WEBHOOK_URLS: the URL itself may hold credentials.
    const loops = [...new Set(this.settings.urls)].map(
      (url, index) =>
        new WebhookUrlLoop(url, this.workerId, secret, this.settings, store, head, this.logger, (outcome) =>
          this.metrics?.recordWebhookDelivery(String(index + 1), outcome),
        ),
    );
    this.logger.log({
      msg: 'Alert webhooks started',
      urls: this.settings.urls.map(displayWebhookUrl),
      workerId: this.workerId,
    });
    this.stopping = stopping;
    this.running = Promise.all(
      loops.map((loop) =>
        loop
          .run(stopping.signal)
          .catch((error: unknown) =>
            this.logger.error({ msg: 'An alert webhook loop stopped unexpectedly', err: error }),
          ),
      ),
    ).then(() => undefined);
  }

  /** Aborts the requests under way and gives up the leases; positions stay where they are. */
  async stop(): Promise<void> {
    this.stopping?.abort(new Error('alert webhooks are stopping'));
    await this.running;
    this.stopping = undefined;
    this.running = undefined;
  }
}
