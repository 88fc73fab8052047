import { Injectable } from '@nestjs/common';

import { EventStore } from '#eventstore';
import { accountStreamName, type AccountEvent } from '#lifecycle';
import {
  foldAccountView,
  type AccountView,
  type OpenAlertFacts,
  type RecordedAccountEvent,
} from '#lifecycle-views';

/** The account as folded from its stream: what the service knew at an instant, without the read model. */
@Injectable()
export class AccountHistory {
  constructor(private readonly store: EventStore) {}

  /**
   * Only events recorded up to `asOf` count; null when the account was not opened by then.
   * `openAlerts` are the account's alerts open at `asOf` (their own streams), for the view's health.
   */
  async foldAt<A extends OpenAlertFacts = OpenAlertFacts>(
    accountId: string,
    asOf: Date,
    openAlerts: readonly A[] = [],
  ): Promise<AccountView<A> | null> {
    const events: RecordedAccountEvent[] = [];
    for await (const e of this.store.readStream(accountStreamName(accountId))) {
      // Skip rather than stop: the client never finishes a read that is left half way.
      if (e.created > asOf) continue;
      events.push({
        event: { type: e.type, data: e.data } as AccountEvent,
        recordedAt: e.created,
        eventId: e.id,
        revision: e.revision,
      });
    }
    return foldAccountView(events, asOf, openAlerts);
  }
}
