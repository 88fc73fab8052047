import { ForbiddenException } from '@nestjs/common';
import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';

import { Clock } from '#account-commands';
import { can, canAccessAccount, principalOf } from '#auth';
import { EventStore } from '#eventstore';
import { accountStreamName, Channel, CommitmentStatus, Pillar, type AccountEvent } from '#lifecycle';
import { foldAccountView, type AccountView, type RecordedAccountEvent } from '#lifecycle-views';

import { badUserInput } from '../../http/validation.js';
import { Account, Alert, Commitment, PillarBalance, TimelineConnection } from '../types/objects.js';
import { pageTimeline } from './timeline-page.js';

export const MAX_PAGE_SIZE = 200;
const MAX_WINDOW_DAYS = 3650;

/**
 * The account view. It is folded from the account's stream up to the instant asked for (now by
 * default), so `asOf` answers exactly what the service knew then: only events recorded up to
 * it, with health and days computed for it.
 */
@Resolver(() => Account)
export class AccountResolver {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  @Query(() => Account, { nullable: true })
  async account(
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => Date, nullable: true }) asOf: Date | null,
    @Context() context: { req: object },
  ): Promise<AccountView | null> {
    const principal = principalOf(context.req);
    if (!principal || !can(principal, 'account:read'))
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: 'Reading accounts needs the account_manager, leader or admin role',
      });
    const at = asOf ?? this.clock.now();
    const events: RecordedAccountEvent[] = [];
    for await (const e of this.store.readStream(accountStreamName(id))) {
      // Skip rather than stop: the client never finishes a read that is left half way.
      if (e.created > at) continue;
      events.push({
        event: { type: e.type, data: e.data } as AccountEvent,
        recordedAt: e.created,
        eventId: e.id,
        revision: e.revision,
      });
    }
    const view = foldAccountView(events, at);
    // An account the caller may not see is answered like a missing one: its existence is not theirs to learn.
    if (!view || !canAccessAccount(principal, view.ownerId)) return null;
    return view;
  }

  @ResolveField(() => PillarBalance)
  pillarBalance(
    @Parent() view: AccountView,
    @Args('windowDays', { type: () => Int, defaultValue: 90 }) windowDays: number,
  ) {
    if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > MAX_WINDOW_DAYS) {
      throw badUserInput([
        { path: 'windowDays', message: `must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}` },
      ]);
    }
    return view.pillarBalance(windowDays);
  }

  @ResolveField(() => [Commitment])
  commitments(
    @Parent() view: AccountView,
    @Args('status', { type: () => [CommitmentStatus], nullable: true }) status: CommitmentStatus[] | null,
  ) {
    return status?.length ? view.commitments.filter((c) => status.includes(c.status)) : view.commitments;
  }

  @ResolveField(() => [Alert])
  openAlerts(@Parent() view: AccountView) {
    return view.openAlerts;
  }

  @ResolveField(() => TimelineConnection)
  timeline(
    @Parent() view: AccountView,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('channels', { type: () => [Channel], nullable: true }) channels: Channel[] | null,
    @Args('pillars', { type: () => [Pillar], nullable: true }) pillars: Pillar[] | null,
    @Args('from', { type: () => Date, nullable: true }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true }) to: Date | null,
  ) {
    return pageTimeline(view.timeline, { first, after, channels, pillars, from, to }, MAX_PAGE_SIZE);
  }
}
