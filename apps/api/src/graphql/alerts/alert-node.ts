import type { AlertView } from '#alerts';
import type { Tier } from '#lifecycle';
import type { alerts } from '#read-model';

import type { Alert } from '../types/objects.js';

/** The alert's columns that its node shows. */
export type AlertRow = Pick<
  typeof alerts.$inferSelect,
  | 'alertId'
  | 'kind'
  | 'severity'
  | 'status'
  | 'accountId'
  | 'title'
  | 'detail'
  | 'raisedAt'
  | 'acknowledgedAt'
  | 'acknowledgedBy'
  | 'resolvedAt'
  | 'resolution'
>;

/** What the Alert type shows: the alert with its account's name, owner and tier. */
export type AlertNode = Alert;

/** The account details an alert is shown with. */
export interface AlertAccount {
  readonly name: string;
  readonly ownerId: string;
  readonly tier: Tier;
}

export function alertNodeFromRow(row: AlertRow, account: AlertAccount): AlertNode {
  return {
    id: row.alertId,
    kind: row.kind,
    severity: row.severity,
    status: row.status,
    accountId: row.accountId,
    accountName: account.name,
    ownerId: account.ownerId,
    tier: account.tier,
    title: row.title,
    detail: row.detail,
    raisedAt: row.raisedAt,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    resolvedAt: row.resolvedAt,
    resolution: row.resolution,
  };
}

export function alertNodeFromView(view: AlertView, account: AlertAccount): AlertNode {
  return {
    id: view.id,
    kind: view.kind,
    severity: view.severity,
    status: view.status,
    accountId: view.accountId,
    accountName: account.name,
    ownerId: account.ownerId,
    tier: account.tier,
    title: view.title,
    detail: view.detail,
    raisedAt: view.raisedAt,
    acknowledgedAt: view.acknowledgedAt,
    acknowledgedBy: view.acknowledgedBy,
    resolvedAt: view.resolvedAt,
    resolution: view.resolution,
  };
}
