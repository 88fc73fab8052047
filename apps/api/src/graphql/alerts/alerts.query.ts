import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';

import { SEVERITIES, atLeast } from '#alerts';
import { accounts, alerts, type ReadModelDb } from '#read-model';

import { alertNodeFromRow, type AlertNode } from './alert-node.js';
import type { AlertPlace } from './alert-cursor.js';
import type { AlertFilter } from './alert-filter.input.js';

export interface AlertsQuery {
  readonly filter: AlertFilter;
  readonly first: number;
  readonly after: AlertPlace | null;
  /** Only alerts on this owner's accounts (an account manager's own), whatever the filter says. */
  readonly ownerOnly: string | null;
}

export interface AlertsPage {
  readonly nodes: readonly AlertNode[];
  readonly hasNextPage: boolean;
  readonly totalCount: number;
}

/** The alerts joined with their accounts (current name, owner and tier), as the Alert type shows them. */
export function alertsWithAccounts(db: ReadModelDb) {
  return db
    .select({ alert: alerts, name: accounts.name, ownerId: accounts.ownerId, tier: accounts.tier })
    .from(alerts)
    .innerJoin(accounts, eq(accounts.id, alerts.accountId));
}

export function nodeOf(row: {
  alert: typeof alerts.$inferSelect;
  name: string;
  ownerId: string;
  tier: (typeof accounts.$inferSelect)['tier'];
}): AlertNode {
  return alertNodeFromRow(row.alert, row);
}

/** One page of alerts, newest first, with the total the filter matches: two queries. */
export async function alertsPage(db: ReadModelDb, query: AlertsQuery): Promise<AlertsPage> {
  const conditions = filterConditions(query);
  const where = conditions.length ? and(...conditions) : undefined;
  const page = query.after
    ? and(
        where,
        sql`(${alerts.raisedAt}, ${alerts.alertId}) < (${new Date(query.after.raisedAt).toISOString()}::timestamptz, ${query.after.id})`,
      )
    : where;
  const rows = await alertsWithAccounts(db)
    .where(page)
    .orderBy(desc(alerts.raisedAt), desc(alerts.alertId))
    .limit(query.first + 1);
  const [{ total }] = await db
    .select({ total: count() })
    .from(alerts)
    .innerJoin(accounts, eq(accounts.id, alerts.accountId))
    .where(where);
  return {
    nodes: rows.slice(0, query.first).map(nodeOf),
    hasNextPage: rows.length > query.first,
    totalCount: Number(total),
  };
}

function filterConditions({ filter, ownerOnly }: AlertsQuery): SQL[] {
  const conditions: SQL[] = [];
  if (ownerOnly !== null) conditions.push(eq(accounts.ownerId, ownerOnly));
  if (filter.statuses?.length) conditions.push(inArray(alerts.status, filter.statuses));
  if (filter.kinds?.length) conditions.push(inArray(alerts.kind, filter.kinds));
  const minimum = filter.minSeverity;
  if (minimum)
    conditions.push(
      inArray(
        alerts.severity,
        SEVERITIES.filter((s) => atLeast(s, minimum)),
      ),
    );
  if (filter.accountId) conditions.push(eq(alerts.accountId, filter.accountId));
  if (filter.ownerId) conditions.push(eq(accounts.ownerId, filter.ownerId));
  if (filter.tiers?.length) conditions.push(inArray(accounts.tier, filter.tiers));
  return conditions;
}
