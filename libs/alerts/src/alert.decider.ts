import type { AlertEvent } from './alert.events.js';
import {
  SEVERITIES,
  type AlertKind,
  type AlertStatus,
  type Resolution,
  type Severity,
} from './alert.types.js';

export type AlertState = {
  readonly alertId: string;
  readonly kind: AlertKind;
  readonly accountId: string;
  readonly subject: string | null;
  readonly severity: Severity;
  readonly status: AlertStatus;
} | null;

export type RaiseAlert = {
  readonly type: 'RaiseAlert';
  readonly data: {
    readonly alertId: string;
    readonly kind: AlertKind;
    readonly severity: Severity;
    readonly accountId: string;
    readonly subject: string | null;
    readonly title: string;
    readonly detail: string | null;
    readonly cause: string;
  };
};
export type EscalateAlert = {
  readonly type: 'EscalateAlert';
  readonly data: { readonly alertId: string; readonly to: Severity; readonly reason: string };
};
export type AcknowledgeAlert = {
  readonly type: 'AcknowledgeAlert';
  readonly data: { readonly alertId: string; readonly by: string; readonly note: string | null };
};
export type ResolveAlert = {
  readonly type: 'ResolveAlert';
  readonly data: {
    readonly alertId: string;
    readonly resolution: Resolution;
    readonly by: string | null;
    readonly reason: string;
    readonly cause: string | null;
  };
};
export type AlertCommand = RaiseAlert | EscalateAlert | AcknowledgeAlert | ResolveAlert;

/** Refusals of alert commands, with the contract's code. */
export class AlertError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_USER_INPUT',
    message: string,
  ) {
    super(message);
    this.name = 'AlertError';
  }
}

export type AlertOutcome = 'created' | 'duplicate' | 'unchanged';
export type AlertDecision = { readonly events: readonly AlertEvent[]; readonly outcome: AlertOutcome };

const nothing = (outcome: AlertOutcome): AlertDecision => ({ events: [], outcome });

/**
 * The rules of one alert's stream. Raising an alert that exists, escalating to a severity it has,
 * acknowledging twice, resolving a resolved one: all change nothing, so the system's commands can
 * be repeated freely (replays, several instances). People get errors where they asked for
 * something impossible: a missing alert, acknowledging a resolved one.
 */
export function decideAlert(command: AlertCommand, state: AlertState, now: Date): AlertDecision {
  const occurredAt = now.toISOString();
  switch (command.type) {
    case 'RaiseAlert':
      if (state !== null) return nothing('duplicate');
      return { events: [{ type: 'AlertRaised', data: { ...command.data, occurredAt } }], outcome: 'created' };
    case 'EscalateAlert': {
      const alert = existing(state, command.data.alertId);
      if (alert.status === 'RESOLVED') return nothing('unchanged');
      if (SEVERITIES.indexOf(command.data.to) <= SEVERITIES.indexOf(alert.severity))
        return nothing('unchanged');
      return {
        events: [
          {
            type: 'AlertEscalated',
            data: {
              alertId: alert.alertId,
              from: alert.severity,
              to: command.data.to,
              reason: command.data.reason,
              occurredAt,
            },
          },
        ],
        outcome: 'created',
      };
    }
    case 'AcknowledgeAlert': {
      const alert = existing(state, command.data.alertId);
      if (alert.status === 'RESOLVED') {
        throw new AlertError(
          'CONFLICT',
          `Alert ${alert.alertId} is resolved: there is nothing to acknowledge`,
        );
      }
      if (alert.status === 'ACKNOWLEDGED') return nothing('unchanged');
      return {
        events: [
          { type: 'AlertAcknowledged', data: { ...command.data, alertId: alert.alertId, occurredAt } },
        ],
        outcome: 'created',
      };
    }
    case 'ResolveAlert': {
      if (state === null && command.data.resolution === 'AUTO') return nothing('unchanged');
      const alert = existing(state, command.data.alertId);
      if (alert.status === 'RESOLVED') return nothing('unchanged');
      return {
        events: [{ type: 'AlertResolved', data: { ...command.data, alertId: alert.alertId, occurredAt } }],
        outcome: 'created',
      };
    }
  }
}

export function evolveAlert(state: AlertState, event: AlertEvent): AlertState {
  switch (event.type) {
    case 'AlertRaised': {
      const { alertId, kind, accountId, subject, severity } = event.data;
      return { alertId, kind, accountId, subject, severity, status: 'OPEN' };
    }
    case 'AlertEscalated':
      return state && { ...state, severity: event.data.to };
    case 'AlertAcknowledged':
      return state && { ...state, status: 'ACKNOWLEDGED' };
    case 'AlertResolved':
      return state && { ...state, status: 'RESOLVED' };
    default:
      return state;
  }
}

function existing(state: AlertState, alertId: string): NonNullable<AlertState> {
  if (state === null) throw new AlertError('NOT_FOUND', `Alert ${alertId} does not exist`);
  return state;
}
