import { ForbiddenException, Optional, UnauthorizedException } from '@nestjs/common';
import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';

import { can, canAccessAccount, Public, type Principal } from '#auth';
import { Metrics } from '#metrics';

import { badUserInput } from '../../http/validation.js';
import { AlertFilter } from '../alerts/alert-filter.input.js';
import { AlertNotification } from '../types/objects.js';
import { AlertFeed, type FeedItem } from './alert-feed.js';
import {
  alertNotifications,
  feedCursor,
  feedPosition,
  matches,
  type DirectDelivery,
} from './alert-subscription.js';

/** What a WebSocket connection's resolvers get: the principal authenticated at connection_init. */
export interface SubscriptionContext {
  readonly principal?: Principal;
  /** Where live notifications can be written without the iterators (see the subscription server). */
  readonly direct?: DirectDelivery;
}

/**
 * `riskAlerts(filter, since)` over WebSocket (graphql-transport-ws): a notification for each alert
 * raised, escalated, acknowledged or resolved that matches the filter and the subscriber's role,
 * each with a cursor; given `since`, first exactly what came after it, then live ones.
 * Credentials are checked at connection_init (the HTTP guard does not see WebSockets).
 */
@Resolver()
export class RiskAlertsResolver {
  constructor(
    private readonly feed: AlertFeed,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  @Public()
  @Subscription(() => AlertNotification, { resolve: notificationOf })
  riskAlerts(
    @Args('filter', { type: () => AlertFilter, nullable: true }) filter: AlertFilter | null,
    @Args('since', { type: () => String, nullable: true }) since: string | null,
    @Context() context: SubscriptionContext,
  ): AsyncIterator<FeedItem> {
    const principal = context.principal;
    if (!principal) {
      throw new UnauthorizedException({
        code: 'UNAUTHENTICATED',
        message: 'Credentials are required in connection_init',
      });
    }
    if (!can(principal, 'alerts:subscribe') && !can(principal, 'alerts:read')) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: 'Subscribing to alerts needs the leader, admin or account_manager role',
      });
    }
    const position = since ? feedPosition(since) : null;
    if (since && position === null) {
      throw badUserInput([{ path: 'since', message: 'is not a cursor this subscription returned' }]);
    }
    const keep = matches(filter ?? {}, (ownerId) => canAccessAccount(principal, ownerId));
    const abort = new AbortController();
    const iterator = counted(
      alertNotifications(this.feed, position, keep, abort.signal, context.direct),
      this.metrics,
    );
    // Ending the subscription (client stop, socket closed) ends the generator's wait too.
    const originalReturn = iterator.return.bind(iterator);
    iterator.return = (value?: unknown) => {
      abort.abort();
      return originalReturn(value as never);
    };
    return iterator;
  }
}

/** The `AlertNotification` a feed item is rendered from. */
function notificationOf(item: FeedItem) {
  return { type: item.type, alert: item.alert, cursor: feedCursor(item.seq) };
}

/** Counts the subscription as open from its first read until it ends, however it ends. */
async function* counted<T>(
  notifications: AsyncGenerator<T>,
  metrics: Metrics | undefined,
): AsyncGenerator<T> {
  metrics?.subscriberConnected();
  try {
    yield* notifications;
  } finally {
    metrics?.subscriberDisconnected();
  }
}
