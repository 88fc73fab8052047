export { ReadModelModule } from './read-model.module.js';
export type { ReadModelModuleOptions } from './read-model.module.js';
export { ReadModelDatabase, redactUrl } from './database/read-model-database.js';
export type {
  PreparedStatement,
  ReadModelDb,
  ReadModelDriver,
  ReadModelTx,
} from './database/read-model-database.js';
export { migrationsFolder } from './database/migrations-folder.js';
export { ReadModelDataDirLockedError } from './database/data-dir-locked.error.js';
export type { DataDirLockHolder } from './database/data-dir-locked.error.js';
export { ReadModelHealth, MAX_READY_LAG_EVENTS, READY_LAG_BOUND } from './health/read-model-health.js';
export { accountsHealthNow } from './health/account-health-now.js';
export type { AccountHealthNow } from './health/account-health-now.js';
export type { ProjectionLag, ReadModelHealthStatus } from './health/read-model-health.js';
export {
  ACCOUNT_PROJECTION_NAME,
  ACCOUNT_STREAM_PREFIX,
  AccountProjection,
} from './projection/account-projection.js';
export type { AccountProjectionOptions, StoredCheckpoint } from './projection/account-projection.js';
export { AccountProjector } from './projection/account-projector.js';
export type { AccountProjectorOptions } from './projection/account-projector.js';
export { EventStoreTail } from './projection/event-store-tail.js';
export { ALERTS_PROJECTION_NAME, AlertsProjection } from './projection/alerts/alerts-projection.js';
export { AlertsProjector } from './projection/alerts/alerts-projector.js';
export type { AlertsProjectorOptions } from './projection/alerts/alerts-projector.js';
export { CheckpointedSubscriber } from './projection/checkpointed-subscriber.js';
export type {
  CheckpointedHandler,
  CheckpointedSubscriberOptions,
} from './projection/checkpointed-subscriber.js';
export {
  loadProjectionCheckpoint,
  lockProjection,
  storeProjectionCheckpoint,
} from './projection/checkpoints.js';
export type { ProjectionCheckpoint } from './projection/checkpoints.js';
export {
  DEFAULT_REBUILD_SCHEMA,
  ProjectionRebuild,
  RebuildAbortedError,
} from './rebuild/projection-rebuild.js';
export type {
  ProjectionRebuildOptions,
  RebuildPhase,
  RebuildProgress,
  RebuildSummary,
} from './rebuild/projection-rebuild.js';
export { checkRebuildSchemaName, describeTables } from './rebuild/rebuild-schema.js';
export {
  accounts,
  accountVersions,
  alertNotifications,
  alertPolicyAccounts,
  alertPolicyAlerts,
  alertPolicyCommitments,
  alerts,
  liveAlertTables,
  commitments,
  healthWatch,
  monitorPositions,
  webhookCursors,
  liveTables,
  projectionCheckpoints,
  stageVisits,
  timelineEntries,
  touchpoints,
} from './schema/index.js';
export { readModelTables } from './schema/read-model-tables.js';
export type { ReadModelTables } from './schema/read-model-tables.js';
export { alertTables } from './schema/alert-tables.js';
export type { AlertTables } from './schema/alert-tables.js';
export { HEALTH_BANDS } from './schema/accounts.table.js';
export type { HealthBand } from './schema/accounts.table.js';
