import type { AppConfig } from '#config';

import { DEFAULT_BACKOFF, type BackoffPolicy } from './webhook-backoff.js';

/** Tuning of webhook delivery; the defaults suit production. */
export interface AlertWebhooksOptions {
  /** Start delivering when the application starts; default true. */
  readonly autoStart?: boolean;
  /** How often an idle URL looks for new notifications; default 200 ms. */
  readonly pollIntervalMs?: number;
  /**
   * How long a worker's lease on a URL lasts unless renewed (every third of it); default 30 s.
   * A worker that dies without releasing it is replaced once it runs out.
   */
  readonly leaseMs?: number;
  /** How often a worker without the lease checks whether it can take it; default 2 s. */
  readonly claimIntervalMs?: number;
  readonly backoff?: BackoffPolicy;
  /** Notifications read at once; default 100. */
  readonly batchSize?: number;
  /** This worker's name in `webhook_cursors.lease_owner`; default host, pid and a random part. */
  readonly workerId?: string;
}

/** Everything delivery needs: the configuration's URLs, secret and timeout, and the tuning. */
export interface AlertWebhookSettings extends Required<Omit<AlertWebhooksOptions, 'workerId'>> {
  readonly urls: readonly string[];
  /** Set whenever `urls` is not empty (the configuration requires it). Never log it. */
  readonly secret: string | undefined;
  readonly timeoutMs: number;
  readonly workerId: string | undefined;
}

export const ALERT_WEBHOOK_SETTINGS = Symbol('ALERT_WEBHOOK_SETTINGS');

export function alertWebhookSettings(
  config: Pick<AppConfig, 'alertWebhookUrls' | 'alertWebhookSecret' | 'alertWebhookTimeoutMs'>,
  options: AlertWebhooksOptions = {},
): AlertWebhookSettings {
  return {
    urls: config.alertWebhookUrls,
    secret: config.alertWebhookSecret,
    timeoutMs: config.alertWebhookTimeoutMs,
    autoStart: options.autoStart ?? true,
    pollIntervalMs: options.pollIntervalMs ?? 200,
    leaseMs: options.leaseMs ?? 30_000,
    claimIntervalMs: options.claimIntervalMs ?? 2000,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    batchSize: options.batchSize ?? 100,
    workerId: options.workerId,
  };
}
