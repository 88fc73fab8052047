import type { AccountEventType } from '#lifecycle';

import type { AppliedEvent, Applier, ApplyContext } from './apply-context.js';
import { ACCOUNT_EVENT_APPLIERS } from './appliers/index.js';
import { storeTouchpoints, type TouchTotals } from './touchpoint-rows.js';

type AnyEvent = AppliedEvent<AccountEventType>;

/**
 * The new events of a batch, arranged so that each applier runs a few times per batch rather
 * than once per event, with the same outcome as applying them one by one in order.
 *
 * An applier writes only rows of its event's account (the account, its stage visits, its
 * commitments, its touchpoints), so events of different accounts can be applied in any order;
 * only each account's own order matters. Step k holds every account's k-th event, grouped by
 * type: one applier call per type and step, every event in it of a different account.
 *
 * Touchpoints leave that order: they write the touchpoint row and the account's touch count and
 * latest touches, which no other applier reads or writes, so they are all inserted together at the
 * end, and what they add to their accounts' rows is left to the batch's refresh of the accounts
 * (one update of each account per batch, not two).
 * The one exception is the account's opening, whose insert must see the counts of the touches
 * that came before it: those touches (never seen in a stream, where the opening comes first)
 * take their place among the steps.
 */
export class BatchSteps {
  private readonly steps: Map<AccountEventType, AnyEvent[]>[] = [];
  /** account id → its next step */
  private readonly nextStep = new Map<string, number>();
  /** account id → its touchpoints not placed in a step, in order */
  private readonly touches = new Map<string, AnyEvent[]>();

  add(type: AccountEventType, event: AnyEvent): void {
    const { accountId } = event.data;
    if (type === 'TouchpointRecorded') {
      const list = this.touches.get(accountId);
      if (list) list.push(event);
      else this.touches.set(accountId, [event]);
      return;
    }
    const earlier = type === 'AccountOpened' ? this.touches.get(accountId) : undefined;
    if (earlier) {
      this.touches.delete(accountId);
      this.place(accountId, 'TouchpointRecorded', earlier);
    }
    this.place(accountId, type, [event]);
  }

  /**
   * Applies the steps, then stores the touchpoints left out of them; answers what those add to
   * each account's row, which `refreshAccounts` writes.
   */
  async apply(ctx: ApplyContext): Promise<Map<string, TouchTotals>> {
    for (const step of this.steps) {
      for (const [type, events] of step)
        await (ACCOUNT_EVENT_APPLIERS[type] as Applier<AccountEventType>)(ctx, events);
    }
    const touches = [...this.touches.values()].flat() as AppliedEvent<'TouchpointRecorded'>[];
    return storeTouchpoints(ctx.tx, ctx.tables, touches);
  }

  private place(accountId: string, type: AccountEventType, events: AnyEvent[]): void {
    const k = this.nextStep.get(accountId) ?? 0;
    this.nextStep.set(accountId, k + 1);
    const step = (this.steps[k] ??= new Map());
    const list = step.get(type);
    if (list) list.push(...events);
    else step.set(type, events);
  }
}
