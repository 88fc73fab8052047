import type { Tier } from '#lifecycle';

export const ALERT_KINDS = [
  'COMMITMENT_MISSED',
  'COMMITMENT_DUE_SOON',
  'ACCOUNT_SILENT',
  'NEGATIVE_MOMENT_OF_TRUTH',
  'HEALTH_DROPPED',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Lowest first: the order "at least" and escalation follow. */
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** How an alert was resolved: by a fact (AUTO, with the cause) or by a person (MANUAL). */
export type Resolution = 'AUTO' | 'MANUAL';

/** A COMMITMENT_DUE_SOON alert is raised this long before dueAt. */
export const DUE_SOON_WINDOW_MS = 48 * 60 * 60 * 1000;

/** product.md, Alerts: the severity an alert of `kind` is raised with on an account of `tier`. */
export function severityOf(kind: AlertKind, tier: Tier): Severity {
  switch (kind) {
    case 'COMMITMENT_MISSED':
      return tier === 'STRATEGIC' ? 'CRITICAL' : tier === 'ENTERPRISE' ? 'HIGH' : 'MEDIUM';
    case 'COMMITMENT_DUE_SOON':
      return 'LOW';
    case 'ACCOUNT_SILENT':
      return tier === 'STRATEGIC' ? 'HIGH' : 'MEDIUM';
    case 'NEGATIVE_MOMENT_OF_TRUTH':
    case 'HEALTH_DROPPED':
      return 'HIGH';
  }
}

/** One step higher (CRITICAL stays CRITICAL). */
export function stepUp(severity: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(severity) + 1)];
}

export function atLeast(severity: Severity, minimum: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(minimum);
}
