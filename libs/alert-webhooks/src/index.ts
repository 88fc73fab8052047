// Alert webhooks: every alert notification POSTed, signed, at least once, to each configured URL.
export { AlertWebhooksModule } from './alert-webhooks.module.js';
export { AlertWebhookDelivery } from './alert-webhook-delivery.js';
export { ALERT_WEBHOOK_SETTINGS, alertWebhookSettings } from './alert-webhook-settings.js';
export type { AlertWebhookSettings, AlertWebhooksOptions } from './alert-webhook-settings.js';
export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from './webhook-backoff.js';
export type { BackoffPolicy } from './webhook-backoff.js';
export { webhookPayload } from './webhook-payload.js';
export type {
  AlertNotificationType,
  AlertWebhookPayload,
  NotificationRow,
  WebhookAlert,
} from './webhook-payload.js';
export {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhookBody,
  verifyWebhookSignature,
} from './webhook-signature.js';
export { sendWebhook } from './webhook-sender.js';
export type { SendOutcome, WebhookRequest } from './webhook-sender.js';
export { displayWebhookUrl, webhookTarget } from './webhook-target.js';
export type { WebhookTarget } from './webhook-target.js';
