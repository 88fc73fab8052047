import DataLoader from 'dataloader';
import { and, desc, inArray, ne } from 'drizzle-orm';

import { alerts, type ReadModelDb } from '#read-model';

import type { AlertNode } from '../alerts/alert-node.js';
import { alertsWithAccounts, nodeOf } from '../alerts/alerts.query.js';

/** One request's batched reads of the alerts table: one query per kind of read, whatever the page size. */
export class AlertLoaders {
  /** The alerts not resolved yet, per account, newest first. */
  readonly openAlerts: DataLoader<string, AlertNode[]>;
  readonly alert: DataLoader<string, AlertNode | null>;

  constructor(db: ReadModelDb) {
    this.openAlerts = new DataLoader(async (accountIds) => {
      const rows = await alertsWithAccounts(db)
        .where(and(inArray(alerts.accountId, [...accountIds]), ne(alerts.status, 'RESOLVED')))
        .orderBy(desc(alerts.raisedAt), desc(alerts.alertId));
      const byAccount = new Map<string, AlertNode[]>(accountIds.map((id) => [id, []]));
      for (const row of rows) byAccount.get(row.alert.accountId)?.push(nodeOf(row));
      return accountIds.map((id) => byAccount.get(id) ?? []);
    });
    this.alert = new DataLoader(async (ids) => {
      const rows = await alertsWithAccounts(db).where(inArray(alerts.alertId, [...ids]));
      const byId = new Map(rows.map((row) => [row.alert.alertId, nodeOf(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Drops what this request has read of an alert and its account's open alerts, after a write. */
  forget(alertId: string, accountId: string | null): void {
    this.alert.clear(alertId);
    if (accountId !== null) this.openAlerts.clear(accountId);
  }
}
