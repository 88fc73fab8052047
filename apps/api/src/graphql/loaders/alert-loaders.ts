import DataLoader from 'dataloader';
import { inArray } from 'drizzle-orm';

import { alerts, type ReadModelDb } from '#read-model';

import type { AlertNode } from '../alerts/alert-node.js';
import { alertsWithAccounts, nodeOf } from '../alerts/alerts.query.js';

/**
 * One request's batched reads of single alerts: one query whatever the number asked. (An
 * account's open alerts come with its other facts, from `ReadModelLoaders`.)
 */
export class AlertLoaders {
  readonly alert: DataLoader<string, AlertNode | null>;

  constructor(db: ReadModelDb) {
    this.alert = new DataLoader(async (ids) => {
      const rows = await alertsWithAccounts(db).where(inArray(alerts.alertId, [...ids]));
      const byId = new Map(rows.map((row) => [row.alert.alertId, nodeOf(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** Drops what this request has read of an alert, after a write. */
  forget(alertId: string): void {
    this.alert.clear(alertId);
  }
}
