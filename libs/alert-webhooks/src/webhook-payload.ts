import type { AlertKind, AlertStatus, Severity } from '#alerts';
import type { Tier } from '#lifecycle';
import type { alerts } from '#read-model';

/** What happened to the alert: one notification per alert event. */
export type AlertNotificationType = 'RAISED' | 'ESCALATED' | 'ACKNOWLEDGED' | 'RESOLVED';

/** The alert as a webhook shows it: its row, with its account's name, owner and tier. */
export interface WebhookAlert {
  readonly id: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly status: AlertStatus;
  readonly accountId: string;
  /** Null only while the account is not (yet) in the read model. */
  readonly accountName: string | null;
  readonly ownerId: string | null;
  readonly tier: Tier | null;
  /** The commitment or touchpoint it is about; null when it is about the account. */
  readonly subject: string | null;
  readonly title: string;
  readonly detail: string | null;
  readonly raisedAt: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
}

/** The JSON body POSTed for one notification. */
export interface AlertWebhookPayload {
  /** The alert event's id: the same on every attempt, every worker; receivers de-duplicate by it. */
  readonly id: string;
  readonly type: AlertNotificationType;
  /** The notification's position: it grows in the order notifications are delivered. */
  readonly seq: number;
  /** When the event store stored the alert event. */
  readonly recordedAt: string;
  readonly alert: WebhookAlert;
}

export type AlertRow = typeof alerts.$inferSelect;

/** One `alert_notifications` row with its alert and (when projected) its account. */
export interface NotificationRow {
  readonly seq: number;
  readonly eventId: string;
  readonly type: AlertNotificationType;
  readonly recordedAt: Date;
  readonly alert: AlertRow;
  readonly account: { readonly name: string; readonly ownerId: string; readonly tier: Tier } | null;
}

const iso = (instant: Date | null): string | null => instant?.toISOString() ?? null;

/**
 * The payload of a notification. The alert is shown as it stands when the notification is read
 * for delivery, as the riskAlerts subscription shows it: a RAISED notification delivered late may
 * show the alert already acknowledged.
 */
export function webhookPayload(row: NotificationRow): AlertWebhookPayload {
  const { alert, account } = row;
  return {
    id: row.eventId,
    type: row.type,
    seq: row.seq,
    recordedAt: row.recordedAt.toISOString(),
    alert: {
      id: alert.alertId,
      kind: alert.kind,
      severity: alert.severity,
      status: alert.status,
      accountId: alert.accountId,
      accountName: account?.name ?? null,
      ownerId: account?.ownerId ?? null,
      tier: account?.tier ?? null,
      subject: alert.subject,
      title: alert.title,
      detail: alert.detail,
      raisedAt: alert.raisedAt.toISOString(),
      acknowledgedAt: iso(alert.acknowledgedAt),
      acknowledgedBy: alert.acknowledgedBy,
      resolvedAt: iso(alert.resolvedAt),
      resolution: alert.resolution,
    },
  };
}
