export { DeadlineMonitor, DEADLINE_MONITOR_OPTIONS } from './deadline-monitor.js';
export type { DeadlineMonitorOptions, ScanResult } from './deadline-monitor.js';
export { RiskMonitorModule } from './risk-monitor.module.js';
export { HEALTH_MONITOR_NAME, HealthMonitor } from './health-monitor.js';
export type { HealthReviewResult } from './health-monitor.js';
export {
  accountsPastSilenceDeadline,
  accountsReachingSilenceDeadline,
  accountVersionsAfter,
  commitmentsComingDue,
  commitmentsDueSoon,
  healthReviewsDue,
  newestAccountVersion,
  overdueCommitments,
  silenceAlertsPastTwiceTheCadence,
} from './nominations.js';
