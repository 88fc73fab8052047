import { and, eq, lt, sql } from 'drizzle-orm';

import { describeResolution, type AlertEvent } from '#alerts';
import type { AllStreamDomainEvent } from '#eventstore';

import type { ReadModelTx } from '../../database/read-model-database.js';
import { alerts } from '../../schema/index.js';

export const NOTIFICATION_TYPE = {
  AlertRaised: 'RAISED',
  AlertEscalated: 'ESCALATED',
  AlertAcknowledged: 'ACKNOWLEDGED',
  AlertResolved: 'RESOLVED',
} as const;

/**
 * Writes one alert event into its row, unless the row already holds it (its revision is at or past
 * the event's): returns the alert's account when the event took effect, undefined otherwise.
 */
export async function applyAlertEvent(
  tx: ReadModelTx,
  recorded: AllStreamDomainEvent,
): Promise<string | undefined> {
  const event = { type: recorded.type, data: recorded.data } as unknown as AlertEvent;
  const revision = recorded.revision;
  const newer = (alertId: string) => and(eq(alerts.alertId, alertId), lt(alerts.revision, revision));
  let rows: { accountId: string }[];
  switch (event.type) {
    case 'AlertRaised': {
      const data = event.data;
      rows = await tx
        .insert(alerts)
        .values({
          alertId: data.alertId,
          accountId: data.accountId,
          kind: data.kind,
          severity: data.severity,
          status: 'OPEN',
          subject: data.subject,
          title: data.title,
          detail: data.detail,
          cause: data.cause,
          raisedAt: new Date(data.occurredAt),
          revision,
        })
        .onConflictDoNothing()
        .returning({ accountId: alerts.accountId });
      break;
    }
    case 'AlertEscalated':
      rows = await tx
        .update(alerts)
        .set({ severity: event.data.to, revision })
        .where(newer(event.data.alertId))
        .returning({ accountId: alerts.accountId });
      break;
    case 'AlertAcknowledged':
      rows = await tx
        .update(alerts)
        .set({
          status: sql`case when ${alerts.status} = 'RESOLVED' then ${alerts.status} else 'ACKNOWLEDGED' end`,
          acknowledgedAt: new Date(event.data.occurredAt),
          acknowledgedBy: event.data.by,
          acknowledgeNote: event.data.note,
          revision,
        })
        .where(newer(event.data.alertId))
        .returning({ accountId: alerts.accountId });
      break;
    case 'AlertResolved':
      rows = await tx
        .update(alerts)
        .set({
          status: 'RESOLVED',
          resolvedAt: new Date(event.data.occurredAt),
          resolvedBy: event.data.by,
          resolutionKind: event.data.resolution,
          resolution: describeResolution(event.data),
          revision,
        })
        .where(newer(event.data.alertId))
        .returning({ accountId: alerts.accountId });
      break;
    default: {
      const _exhaustive: never = event;
      return undefined;
    }
  }
  return rows[0]?.accountId;
}
