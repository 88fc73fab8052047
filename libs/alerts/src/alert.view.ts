import type { AlertEvent, AlertResolved } from './alert.events.js';
import type { AlertKind, AlertStatus, Resolution, Severity } from './alert.types.js';

/** One alert as people see it, folded from its stream (account details are joined by the reader). */
export type AlertView = {
  readonly id: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly status: AlertStatus;
  readonly accountId: string;
  readonly subject: string | null;
  readonly title: string;
  readonly detail: string | null;
  readonly raisedAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly acknowledgeNote: string | null;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolutionKind: Resolution | null;
  /** How it was resolved, in words: see {@link describeResolution}. */
  readonly resolution: string | null;
};

/** `AUTO: <the fact>` or `MANUAL by <who>: <their reason>`. */
export function describeResolution(
  data: Pick<AlertResolved['data'], 'resolution' | 'by' | 'reason'>,
): string {
  return data.resolution === 'AUTO'
    ? `AUTO: ${data.reason}`
    : `MANUAL by ${data.by ?? 'unknown'}: ${data.reason}`;
}

/** Folds one event into the view; an event before the AlertRaised one (never written) changes nothing. */
export function evolveAlertView(view: AlertView | null, event: AlertEvent): AlertView | null {
  switch (event.type) {
    case 'AlertRaised': {
      const data = event.data;
      return {
        id: data.alertId,
        kind: data.kind,
        severity: data.severity,
        status: 'OPEN',
        accountId: data.accountId,
        subject: data.subject,
        title: data.title,
        detail: data.detail,
        raisedAt: new Date(data.occurredAt),
        acknowledgedAt: null,
        acknowledgedBy: null,
        acknowledgeNote: null,
        resolvedAt: null,
        resolvedBy: null,
        resolutionKind: null,
        resolution: null,
      };
    }
    case 'AlertEscalated':
      return view && { ...view, severity: event.data.to };
    case 'AlertAcknowledged':
      return (
        view && {
          ...view,
          status: view.status === 'RESOLVED' ? view.status : 'ACKNOWLEDGED',
          acknowledgedAt: new Date(event.data.occurredAt),
          acknowledgedBy: event.data.by,
          acknowledgeNote: event.data.note,
        }
      );
    case 'AlertResolved':
      return (
        view && {
          ...view,
          status: 'RESOLVED',
          resolvedAt: new Date(event.data.occurredAt),
          resolvedBy: event.data.by,
          resolutionKind: event.data.resolution,
          resolution: describeResolution(event.data),
        }
      );
    default: {
      const _exhaustive: never = event;
      return view;
    }
  }
}

export function foldAlertView(events: readonly AlertEvent[]): AlertView | null {
  return events.reduce<AlertView | null>(evolveAlertView, null);
}
