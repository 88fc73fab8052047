import { isExited, type AccountEvent, type Tier } from '#lifecycle';

import { alertIdOf } from './alert-ids.js';
import type { AlertCommand, ResolveAlert } from './alert.decider.js';
import type { AlertRaised } from './alert.events.js';
import { severityOf, type AlertKind } from './alert.types.js';

/** An alert the account has open, as the policy needs to know it. */
export type OpenAlertRef = {
  readonly alertId: string;
  readonly kind: AlertKind;
  readonly subject: string | null;
  /** Business time of what raised it (a negative moment of truth's touch). */
  readonly since: string;
};

export type PolicyContext = {
  /** The account event's id: the cause recorded on what it raises or resolves. */
  readonly eventId: string;
  readonly tier: Tier;
  readonly openAlerts: readonly OpenAlertRef[];
  /** A commitment's title, for the alert's title. */
  readonly commitmentTitle?: (commitmentId: string) => string | undefined;
};

/**
 * The alert commands an account event calls for (product.md, Alerts): what it raises and what it
 * resolves. Pure and deterministic: replaying an event gives the same commands with the same alert
 * ids, and the alert streams make repeats harmless. Time-driven alerts (due soon, escalation,
 * health falling to RED as it decays) come from the deadline monitor instead.
 */
export function alertCommandsFor(event: AccountEvent, context: PolicyContext): AlertCommand[] {
  const accountId = event.data.accountId;
  const commands: AlertCommand[] = [];
  const raise = (
    kind: AlertKind,
    subject: string | null,
    occurrence: string,
    title: string,
    detail: string | null,
  ) =>
    commands.push({
      type: 'RaiseAlert',
      data: {
        alertId: alertIdOf(kind, accountId, subject, occurrence),
        kind,
        severity: severityOf(kind, context.tier),
        accountId,
        subject,
        title,
        detail,
        cause: context.eventId,
      },
    });
  const resolve = (matches: (alert: OpenAlertRef) => boolean, reason: string) => {
    for (const alert of context.openAlerts.filter(matches))
      commands.push(autoResolve(alert.alertId, reason, context.eventId));
  };
  const titleOf = (commitmentId: string) => {
    const title = context.commitmentTitle?.(commitmentId);
    return title === undefined ? `commitment ${commitmentId}` : `"${title}"`;
  };
  const aboutCommitment = (commitmentId: string, kinds: readonly AlertKind[]) => (alert: OpenAlertRef) =>
    alert.subject === commitmentId && kinds.includes(alert.kind);

  switch (event.type) {
    case 'CommitmentMissed': {
      const { commitmentId, dueAt } = event.data;
      raise(
        'COMMITMENT_MISSED',
        commitmentId,
        dueAt,
        `Missed ${titleOf(commitmentId)}`,
        `It was due ${dueAt}`,
      );
      resolve(aboutCommitment(commitmentId, ['COMMITMENT_DUE_SOON']), 'The commitment was missed');
      break;
    }
    case 'CommitmentFulfilled':
      resolve(
        aboutCommitment(event.data.commitmentId, ['COMMITMENT_MISSED', 'COMMITMENT_DUE_SOON']),
        event.data.onTime ? 'The commitment was fulfilled' : 'The commitment was fulfilled late',
      );
      break;
    case 'CommitmentRenegotiated':
      resolve(
        aboutCommitment(event.data.commitmentId, ['COMMITMENT_MISSED', 'COMMITMENT_DUE_SOON']),
        `The commitment was renegotiated to ${event.data.newDueAt}`,
      );
      break;
    case 'CommitmentCancelled':
      resolve(
        aboutCommitment(event.data.commitmentId, ['COMMITMENT_MISSED', 'COMMITMENT_DUE_SOON']),
        'The commitment was cancelled',
      );
      break;
    case 'AccountWentSilent': {
      const { silentSince, cadenceDays } = event.data;
      raise(
        'ACCOUNT_SILENT',
        null,
        silentSince,
        'No qualifying contact for longer than the cadence',
        `No qualifying touch since ${silentSince} (cadence ${cadenceDays} days)`,
      );
      break;
    }
    case 'AccountReEngaged':
      resolve((alert) => alert.kind === 'ACCOUNT_SILENT', 'The account re-engaged');
      break;
    case 'LifecycleStageChanged':
      if (isExited(event.data.to)) {
        resolve((alert) => alert.kind === 'ACCOUNT_SILENT', `The account exited (${event.data.to})`);
      }
      break;
    case 'TouchpointRecorded': {
      const touch = event.data;
      if (touch.momentOfTruth && touch.sentiment === 'NEGATIVE') {
        raise(
          'NEGATIVE_MOMENT_OF_TRUTH',
          touch.touchpointId,
          touch.touchpointId,
          `A bad moment of truth (${touch.channel})`,
          touch.summary,
        );
      }
      if (touch.qualifying && touch.sentiment === 'POSITIVE') {
        resolve(
          (alert) => alert.kind === 'NEGATIVE_MOMENT_OF_TRUTH' && alert.since < touch.occurredAt,
          'A later qualifying touch was positive',
        );
      }
      break;
    }
    default:
      break;
  }
  return commands;
}

export function autoResolve(alertId: string, reason: string, cause: string | null): ResolveAlert {
  return { type: 'ResolveAlert', data: { alertId, resolution: 'AUTO', by: null, reason, cause } };
}

/** A commitment as the policy last saw it (status and due date), for alerts others raise about it. */
export type CommitmentStanding = { readonly status: string | null; readonly dueAt: string | null };

/**
 * A COMMITMENT_DUE_SOON alert that the deadline monitor raised just after the commitment moved on
 * (fulfilled, cancelled, missed, or renegotiated to another date: the alert's id names the due
 * date) is stale, and no later event would resolve it: the resolution it calls for, if any.
 */
export function staleAlertResolution(
  raised: AlertRaised['data'],
  commitment: CommitmentStanding | undefined,
  eventId: string,
): ResolveAlert | undefined {
  if (raised.kind !== 'COMMITMENT_DUE_SOON' || raised.subject === null) return undefined;
  if (commitment === undefined || commitment.status === null) return undefined;
  if (commitment.status !== 'OPEN') {
    return autoResolve(
      raised.alertId,
      `The commitment was already ${commitment.status.toLowerCase()}`,
      eventId,
    );
  }
  if (
    commitment.dueAt !== null &&
    alertIdOf('COMMITMENT_DUE_SOON', raised.accountId, raised.subject, commitment.dueAt) !== raised.alertId
  ) {
    return autoResolve(raised.alertId, `The commitment was renegotiated to ${commitment.dueAt}`, eventId);
  }
  return undefined;
}
