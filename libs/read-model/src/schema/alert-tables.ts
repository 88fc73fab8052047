import {
  defineAlertPolicyAccounts,
  defineAlertPolicyAlerts,
  defineAlertPolicyCommitments,
} from './alert-policy.tables.js';
import { defineAlertNotifications, defineAlerts } from './alerts.table.js';
import { defineHealthWatch, defineMonitorPositions, defineWebhookCursors } from './risk-monitor.tables.js';
import { tableFactory } from './table-factory.js';

/**
 * The tables of the alert projections, apart from the account read model's set: a rebuild of the
 * account read model replaces that set and leaves these alone (they are filled from other streams
 * by other projections, each with its own checkpoint).
 */
export function alertTables(schemaName?: string) {
  const table = tableFactory(schemaName);
  return {
    alerts: defineAlerts(table),
    alertNotifications: defineAlertNotifications(table),
    alertPolicyAccounts: defineAlertPolicyAccounts(table),
    alertPolicyCommitments: defineAlertPolicyCommitments(table),
    alertPolicyAlerts: defineAlertPolicyAlerts(table),
    healthWatch: defineHealthWatch(table),
    monitorPositions: defineMonitorPositions(table),
    webhookCursors: defineWebhookCursors(table),
  };
}

export type AlertTables = ReturnType<typeof alertTables>;
