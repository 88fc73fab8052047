// Risk alerts: each alert its own stream with a deterministic id; the pure rules of raising,
// escalating, acknowledging and resolving, and the policy that maps account facts to them.
export {
  ALERT_KINDS,
  ALERT_STATUSES,
  DUE_SOON_WINDOW_MS,
  SEVERITIES,
  atLeast,
  severityOf,
  stepUp,
} from './alert.types.js';
export type { AlertKind, AlertStatus, Resolution, Severity } from './alert.types.js';
export { ALERT_EVENT_TYPES } from './alert.events.js';
export type {
  AlertAcknowledged,
  AlertEscalated,
  AlertEvent,
  AlertEventType,
  AlertRaised,
  AlertResolved,
} from './alert.events.js';
export { ALERT_STREAM_PREFIX, alertIdOf, alertStreamName } from './alert-ids.js';
export { AlertError, decideAlert, evolveAlert } from './alert.decider.js';
export type {
  AcknowledgeAlert,
  AlertCommand,
  AlertDecision,
  AlertOutcome,
  AlertState,
  EscalateAlert,
  RaiseAlert,
  ResolveAlert,
} from './alert.decider.js';
export { alertCommandsFor, autoResolve, staleAlertResolution } from './alert.policy.js';
export { describeResolution, evolveAlertView, foldAlertView } from './alert.view.js';
export type { AlertView } from './alert.view.js';
export type { CommitmentStanding, OpenAlertRef, PolicyContext } from './alert.policy.js';
