// The live read model's tables (default schema). drizzle-kit reads this file to generate
// migrations; the application imports the same objects.
import { alertTables } from './alert-tables.js';
import { readModelTables } from './read-model-tables.js';

export const liveTables = readModelTables();

export const {
  accounts,
  accountVersions,
  stageVisits,
  touchpoints,
  commitments,
  timelineEntries,
  projectionCheckpoints,
} = liveTables;

export const liveAlertTables = alertTables();

export const {
  alerts,
  alertNotifications,
  alertPolicyAccounts,
  alertPolicyCommitments,
  alertPolicyAlerts,
  healthWatch,
  monitorPositions,
  webhookCursors,
} = liveAlertTables;
