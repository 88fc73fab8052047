import { ForbiddenException } from '@nestjs/common';
import { Args, Context, Int, Query, Resolver } from '@nestjs/graphql';

import { can, principalOf, seesEveryAccount, type Principal } from '#auth';
import { ReadModelDatabase } from '#read-model';

import { MAX_PAGE_SIZE } from '../accounts/account.resolver.js';
import { checkPageSize } from '../accounts/timeline-cursor.js';
import type { GraphQLContext } from '../graphql-context.js';
import { AlertConnection } from '../types/objects.js';
import { decodeAlertCursor, encodeAlertCursor } from './alert-cursor.js';
import { AlertFilter } from './alert-filter.input.js';
import { alertsPage } from './alerts.query.js';

/** The caller, who must be allowed to read alerts (account managers: their own accounts' only). */
export function alertReader(context: GraphQLContext): Principal {
  const principal = principalOf(context.req);
  if (!principal || !can(principal, 'alerts:read')) {
    throw new ForbiddenException({
      code: 'FORBIDDEN',
      message: 'Reading alerts needs the account_manager, leader or admin role',
    });
  }
  return principal;
}

/** The alert list: filtered, newest first, cursor-paginated on (raisedAt, id). */
@Resolver()
export class AlertsResolver {
  constructor(private readonly database: ReadModelDatabase) {}

  @Query(() => AlertConnection)
  async alerts(
    @Args('filter', { type: () => AlertFilter, nullable: true }) filter: AlertFilter | null,
    @Args('first', { type: () => Int, defaultValue: 50, nullable: true }) askedFirst: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Context() context: GraphQLContext,
  ) {
    const principal = alertReader(context);
    const first = askedFirst ?? 50;
    checkPageSize(first, MAX_PAGE_SIZE);
    const page = await alertsPage(this.database.db, {
      filter: filter ?? {},
      first,
      after: after ? decodeAlertCursor(after) : null,
      ownerOnly: seesEveryAccount(principal) ? null : principal.id,
    });
    const edges = page.nodes.map((node) => ({ cursor: encodeAlertCursor(node), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }
}
