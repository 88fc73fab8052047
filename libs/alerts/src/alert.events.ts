import type { Event } from '#lifecycle';

import type { AlertKind, Resolution, Severity } from './alert.types.js';

/** The first event of an `alert-<id>` stream. */
export type AlertRaised = Event<
  'AlertRaised',
  {
    readonly alertId: string;
    readonly kind: AlertKind;
    readonly severity: Severity;
    readonly accountId: string;
    /** What it is about within the account: a commitment or touchpoint id; null for the account itself. */
    readonly subject: string | null;
    readonly title: string;
    readonly detail: string | null;
    /** The id of the event (or the scan) that raised it. */
    readonly cause: string;
    readonly occurredAt: string;
  }
>;

export type AlertEscalated = Event<
  'AlertEscalated',
  {
    readonly alertId: string;
    readonly from: Severity;
    readonly to: Severity;
    readonly reason: string;
    readonly occurredAt: string;
  }
>;

export type AlertAcknowledged = Event<
  'AlertAcknowledged',
  {
    readonly alertId: string;
    readonly by: string;
    readonly note: string | null;
    readonly occurredAt: string;
  }
>;

export type AlertResolved = Event<
  'AlertResolved',
  {
    readonly alertId: string;
    readonly resolution: Resolution;
    /** Who resolved it by hand; null when a fact did. */
    readonly by: string | null;
    /** Why: the person's reason, or the fact that resolved it. */
    readonly reason: string;
    /** The id of the event that resolved it automatically. */
    readonly cause: string | null;
    readonly occurredAt: string;
  }
>;

export type AlertEvent = AlertRaised | AlertEscalated | AlertAcknowledged | AlertResolved;
export type AlertEventType = AlertEvent['type'];
export const ALERT_EVENT_TYPES: readonly AlertEventType[] = [
  'AlertRaised',
  'AlertEscalated',
  'AlertAcknowledged',
  'AlertResolved',
];
