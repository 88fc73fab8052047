import { Args, Context, Int, Query, Resolver } from '@nestjs/graphql';

import { canAccessAccount, seesEveryAccount } from '#auth';
import { ReadModelDatabase } from '#read-model';

import { nodeFromFacts, type AccountNode } from '../accounts/account-node.js';
import { MAX_PAGE_SIZE } from '../accounts/account.resolver.js';
import { checkPageSize } from '../accounts/timeline-cursor.js';
import { accountReader, type GraphQLContext } from '../graphql-context.js';
import { AccountOrder } from '../types/enums.js';
import { AccountConnection } from '../types/objects.js';
import { AccountFilter } from './account-filter.input.js';
import { portfolioPage } from './portfolio.query.js';

/**
 * The portfolio: accounts filtered and sorted from the read model, cursor-paginated. Every page of
 * one walk reads the read model as it was at the first page, so none is skipped or repeated while
 * accounts change; each node shows its account as it is now. Account managers see their own only.
 */
@Resolver()
export class AccountsResolver {
  constructor(private readonly database: ReadModelDatabase) {}

  @Query(() => AccountConnection)
  async accounts(
    @Args('filter', { type: () => AccountFilter, nullable: true }) filter: AccountFilter | null,
    @Args('orderBy', { type: () => AccountOrder, defaultValue: 'NAME_ASC', nullable: true })
    askedOrder: AccountOrder | null,
    @Args('first', { type: () => Int, defaultValue: 50, nullable: true }) askedFirst: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Context() context: GraphQLContext,
  ): Promise<{ edges: { cursor: string; node: AccountNode }[]; pageInfo: object; totalCount: number }> {
    const principal = accountReader(context);
    const first = askedFirst ?? 50;
    const orderBy = askedOrder ?? 'NAME_ASC';
    checkPageSize(first, MAX_PAGE_SIZE);
    const { loaders } = context;
    const page = await portfolioPage(this.database.db, {
      filter: filter ?? {},
      orderBy,
      first,
      after: after ?? null,
      ownerOnly: seesEveryAccount(principal) ? null : principal.id,
      now: loaders.now,
    });
    const facts = await loaders.accounts(page.ids);
    const edges: { cursor: string; node: AccountNode }[] = [];
    facts.forEach((account, index) => {
      // An account handed to another owner since the walk began is no longer the caller's to see.
      if (account && canAccessAccount(principal, account.row.ownerId)) {
        edges.push({ cursor: page.cursors[index], node: nodeFromFacts(account, loaders.now) });
      }
    });
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }
}
