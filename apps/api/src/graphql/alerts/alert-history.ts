import { Injectable } from '@nestjs/common';
import { and, eq, lte } from 'drizzle-orm';

import { alertStreamName, evolveAlertView, type AlertEvent, type AlertView } from '#alerts';
import { EventStore } from '#eventstore';
import { alerts, ReadModelDatabase } from '#read-model';

/** Alerts folded from their streams: what the service knew of them at an instant. */
@Injectable()
export class AlertHistory {
  constructor(
    private readonly store: EventStore,
    private readonly database: ReadModelDatabase,
  ) {}

  /** The alert from events recorded up to `asOf` (all of them without it); null if it was not raised by then. */
  async foldAt(alertId: string, asOf?: Date): Promise<AlertView | null> {
    let view: AlertView | null = null;
    for await (const e of this.store.readStream(alertStreamName(alertId))) {
      // Skip rather than stop: the client never finishes a read that is left half way.
      if (asOf !== undefined && e.created > asOf) continue;
      view = evolveAlertView(view, { type: e.type, data: e.data } as unknown as AlertEvent);
    }
    return view;
  }

  /**
   * The account's alerts open (not resolved) at `asOf`, newest first. Which alerts the account has
   * comes from the alerts table (an alert is raised before it is recorded, so `raised_at <= asOf`
   * holds for every alert recorded by then); their states at `asOf` come from their streams.
   */
  async openAt(accountId: string, asOf: Date): Promise<AlertView[]> {
    const candidates = await this.database.db
      .select({ alertId: alerts.alertId })
      .from(alerts)
      .where(and(eq(alerts.accountId, accountId), lte(alerts.raisedAt, asOf)));
    const views = await Promise.all(candidates.map((row) => this.foldAt(row.alertId, asOf)));
    return views
      .filter((view): view is AlertView => view !== null && view.status !== 'RESOLVED')
      .sort(
        (a, b) => b.raisedAt.getTime() - a.raisedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      );
  }
}
