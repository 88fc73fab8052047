import { Module, type DynamicModule } from '@nestjs/common';

import { AppConfig } from '#config';

import { AlertWebhookDelivery } from './alert-webhook-delivery.js';
import {
  ALERT_WEBHOOK_SETTINGS,
  alertWebhookSettings,
  type AlertWebhooksOptions,
} from './alert-webhook-settings.js';

/**
 * Alert webhooks (worker role): delivers alert notifications to ALERT_WEBHOOK_URLS. Needs the
 * config and read model modules; idle when no URL is configured.
 */
@Module({})
export class AlertWebhooksModule {
  static forRoot(options: AlertWebhooksOptions = {}): DynamicModule {
    return {
      module: AlertWebhooksModule,
      providers: [
        {
          provide: ALERT_WEBHOOK_SETTINGS,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => alertWebhookSettings(config, options),
        },
        AlertWebhookDelivery,
      ],
      exports: [AlertWebhookDelivery],
    };
  }
}
