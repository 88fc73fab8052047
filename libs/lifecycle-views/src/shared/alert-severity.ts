/** The contract's Severity; alerts live in their own streams, the views only weigh them. */
export type AlertSeverity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** What the views need of an alert the caller says is open (not RESOLVED) at the instant. */
export type OpenAlertFacts = { readonly severity: AlertSeverity };

/** Open HIGH or CRITICAL alerts: each costs health points. */
export function countHighSeverityAlerts(alerts: readonly OpenAlertFacts[]): number {
  return alerts.filter((alert) => alert.severity === 'HIGH' || alert.severity === 'CRITICAL').length;
}
