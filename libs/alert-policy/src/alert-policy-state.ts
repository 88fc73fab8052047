import { and, eq, inArray } from 'drizzle-orm';

import type { AlertCommand, AlertEvent, CommitmentStanding, OpenAlertRef } from '#alerts';
import type { AccountEvent, Tier } from '#lifecycle';
import {
  alertPolicyAccounts,
  alertPolicyAlerts,
  alertPolicyCommitments,
  type ReadModelTx,
} from '#read-model';

/**
 * The alert policy's memory, read and written inside the transaction of its batch (and so exactly
 * what the events up to its checkpoint say): each account's tier, its commitments' titles, and the
 * alerts it knows of, open or not. Alerts come in two ways: those the policy raises or resolves
 * itself, noted at once (a touch right after a bad one must see the alert it raised), and the
 * events of every alert stream (raised by the deadline monitor, resolved by a person). A row is
 * never reopened: the AlertRaised event of an alert the policy already resolved changes nothing.
 */
export class AlertPolicyState {
  /**
   * Reads the batch repeats, remembered for the batch: nothing else writes these tables while the
   * policy's lock is held, so they change only through this object, which keeps them exact. Most
   * events are touchpoints that raise nothing, and a run of them on one account would otherwise
   * ask the same two questions once per event.
   */
  private readonly tiers = new Map<string, Tier | undefined>();
  private readonly openAlertsOf = new Map<string, OpenAlertRef[]>();

  constructor(private readonly tx: ReadModelTx) {}

  /**
   * Reads the tier and the open alerts of every given account in two statements, before the batch
   * is decided: otherwise each account the batch touches costs two statements of its own, each a
   * turn of the database session the batch's transaction holds (on PGlite the only one, which
   * every query of the service waits for meanwhile).
   */
  async prefetch(accountIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(accountIds)];
    await this.readTiers(ids.filter((id) => !this.tiers.has(id)));
    await this.readOpenAlerts(ids.filter((id) => !this.openAlertsOf.has(id)));
  }

  private async readTiers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await this.tx
      .select({ accountId: alertPolicyAccounts.accountId, tier: alertPolicyAccounts.tier })
      .from(alertPolicyAccounts)
      .where(inArray(alertPolicyAccounts.accountId, ids));
    for (const id of ids) this.tiers.set(id, undefined);
    for (const row of rows) this.tiers.set(row.accountId, row.tier);
  }

  private async readOpenAlerts(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await this.tx
      .select()
      .from(alertPolicyAlerts)
      .where(and(inArray(alertPolicyAlerts.accountId, ids), eq(alertPolicyAlerts.open, true)))
      .orderBy(alertPolicyAlerts.alertId);
    for (const id of ids) this.openAlertsOf.set(id, []);
    for (const row of rows) this.openAlertsOf.get(row.accountId)!.push(openAlertRefOf(row));
  }

  /** Remembers what later alerts need of an account event: the tier, commitment titles. */
  async noteAccountFacts(event: AccountEvent): Promise<void> {
    if (event.type === 'AccountOpened') {
      this.tiers.set(event.data.accountId, event.data.tier);
      await this.tx
        .insert(alertPolicyAccounts)
        .values({ accountId: event.data.accountId, tier: event.data.tier })
        .onConflictDoUpdate({ target: alertPolicyAccounts.accountId, set: { tier: event.data.tier } });
    } else if (event.type === 'CommitmentMade') {
      const { accountId, commitmentId, title } = event.data;
      const standing = { status: 'OPEN', dueAt: new Date(event.data.dueAt) };
      await this.tx
        .insert(alertPolicyCommitments)
        .values({ accountId, commitmentId, title, ...standing })
        .onConflictDoUpdate({
          target: [alertPolicyCommitments.accountId, alertPolicyCommitments.commitmentId],
          set: { title, ...standing },
        });
    } else if (event.type === 'CommitmentRenegotiated') {
      await this.setStanding(event.data.accountId, event.data.commitmentId, {
        status: 'OPEN',
        dueAt: new Date(event.data.newDueAt),
      });
    } else if (event.type === 'CommitmentFulfilled') {
      await this.setStanding(event.data.accountId, event.data.commitmentId, { status: 'FULFILLED' });
    } else if (event.type === 'CommitmentMissed') {
      await this.setStanding(event.data.accountId, event.data.commitmentId, { status: 'MISSED' });
    } else if (event.type === 'CommitmentCancelled') {
      await this.setStanding(event.data.accountId, event.data.commitmentId, { status: 'CANCELLED' });
    }
  }

  /** The commitment's status and due date as the events so far say; undefined if unknown. */
  async standingOf(accountId: string, commitmentId: string): Promise<CommitmentStanding | undefined> {
    const [row] = await this.tx
      .select({ status: alertPolicyCommitments.status, dueAt: alertPolicyCommitments.dueAt })
      .from(alertPolicyCommitments)
      .where(
        and(
          eq(alertPolicyCommitments.accountId, accountId),
          eq(alertPolicyCommitments.commitmentId, commitmentId),
        ),
      );
    return row === undefined ? undefined : { status: row.status, dueAt: row.dueAt?.toISOString() ?? null };
  }

  private async setStanding(
    accountId: string,
    commitmentId: string,
    standing: { status: string; dueAt?: Date },
  ): Promise<void> {
    await this.tx
      .update(alertPolicyCommitments)
      .set(standing)
      .where(
        and(
          eq(alertPolicyCommitments.accountId, accountId),
          eq(alertPolicyCommitments.commitmentId, commitmentId),
        ),
      );
  }

  async tierOf(accountId: string): Promise<Tier | undefined> {
    if (!this.tiers.has(accountId)) await this.readTiers([accountId]);
    return this.tiers.get(accountId);
  }

  async titleOf(accountId: string, commitmentId: string): Promise<string | undefined> {
    const [row] = await this.tx
      .select({ title: alertPolicyCommitments.title })
      .from(alertPolicyCommitments)
      .where(
        and(
          eq(alertPolicyCommitments.accountId, accountId),
          eq(alertPolicyCommitments.commitmentId, commitmentId),
        ),
      );
    return row?.title;
  }

  async openAlerts(accountId: string): Promise<OpenAlertRef[]> {
    if (!this.openAlertsOf.has(accountId)) await this.readOpenAlerts([accountId]);
    return [...this.openAlertsOf.get(accountId)!];
  }

  /** What the policy itself raised or resolved; `since` is the business time of its cause. */
  async noteCommand(command: AlertCommand, since: string): Promise<void> {
    if (command.type === 'RaiseAlert') {
      const { alertId, accountId, kind, subject } = command.data;
      await this.opened(alertId, accountId, kind, subject, since);
    } else if (command.type === 'ResolveAlert') {
      await this.closed(command.data.alertId);
    }
  }

  /** An event of any alert stream. */
  async noteAlertEvent(event: AlertEvent): Promise<void> {
    if (event.type === 'AlertRaised') {
      const { alertId, accountId, kind, subject, occurredAt } = event.data;
      await this.opened(alertId, accountId, kind, subject, occurredAt);
    } else if (event.type === 'AlertResolved') {
      await this.closed(event.data.alertId);
    }
  }

  private async opened(
    alertId: string,
    accountId: string,
    kind: OpenAlertRef['kind'],
    subject: string | null,
    since: string,
  ): Promise<void> {
    // An alert already known (even closed) is not reopened: the table decides, so ask it again.
    this.openAlertsOf.delete(accountId);
    await this.tx
      .insert(alertPolicyAlerts)
      .values({ alertId, accountId, kind, subject, since: new Date(since), open: true })
      .onConflictDoNothing();
  }

  private async closed(alertId: string): Promise<void> {
    // A known list holds every open alert of its account, so the alert is in its account's list if
    // that list is known at all; the order of the others is kept.
    for (const open of this.openAlertsOf.values()) {
      const at = open.findIndex((alert) => alert.alertId === alertId);
      if (at >= 0) open.splice(at, 1);
    }
    await this.tx
      .update(alertPolicyAlerts)
      .set({ open: false })
      .where(eq(alertPolicyAlerts.alertId, alertId));
  }
}

function openAlertRefOf(row: typeof alertPolicyAlerts.$inferSelect): OpenAlertRef {
  return { alertId: row.alertId, kind: row.kind, subject: row.subject, since: row.since.toISOString() };
}
