import { isExited, type AccountEvent, type Tier } from '#lifecycle';

import { alertIdOf } from './alert-ids.js';
import type { AlertCommand, ResolveAlert } from './alert.decider.js';
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
  /** The health band before and after the event, when the caller tracks it. */
  readonly healthBand?: { readonly before: string | null; readonly after: string };
};

/**
 * The alert commands an account event calls for (product.md, Alerts): what it raises and what it
 * resolves. Pure and deterministic: replaying an event gives the same commands with the same alert
 * ids, and the alert streams make repeats harmless. Time-driven alerts (due soon, escalation) come
 * from the deadline monitor instead.
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

  const band = context.healthBand;
  if (band !== undefined && band.after === 'RED' && band.before !== 'RED') {
    raise('HEALTH_DROPPED', null, context.eventId, 'Health fell to RED', null);
  }
  if (band !== undefined && band.after !== 'RED') {
    resolve((alert) => alert.kind === 'HEALTH_DROPPED', `Health is back to ${band.after}`);
  }
  return commands;
}

export function autoResolve(alertId: string, reason: string, cause: string | null): ResolveAlert {
  return { type: 'ResolveAlert', data: { alertId, resolution: 'AUTO', by: null, reason, cause } };
}
