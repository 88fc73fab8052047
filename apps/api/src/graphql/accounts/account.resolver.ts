import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';

import { canAccessAccount } from '#auth';
import { Channel, CommitmentStatus, Pillar } from '#lifecycle';

import { badUserInput } from '../../http/validation.js';
import type { TimelineSlice } from '../loaders/read-model-loaders.js';
import { accountReader, type GraphQLContext } from '../graphql-context.js';
import { Account, Commitment, PillarBalance, TimelineConnection } from '../types/objects.js';
import { AlertHistory } from '../alerts/alert-history.js';
import { AccountHistory } from './account-history.js';
import { nodeFromFacts, nodeFromView, type AccountNode } from './account-node.js';
import { checkPageSize, decodeTimelineCursor } from './timeline-cursor.js';
import { pageTimeline, timelineConnection } from './timeline-page.js';

export const MAX_PAGE_SIZE = 200;
const MAX_WINDOW_DAYS = 3650;

/**
 * The account view. Without `asOf` it is the read model's account, with health, windows and day
 * counts computed for now. With `asOf` it is folded from the account's stream up to that instant,
 * so it answers exactly what the service knew then: only events recorded up to it, with health
 * and days computed for it (no read model involved).
 */
@Resolver(() => Account)
export class AccountResolver {
  constructor(
    private readonly history: AccountHistory,
    private readonly alertHistory: AlertHistory,
  ) {}

  @Query(() => Account, { nullable: true })
  async account(
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => Date, nullable: true }) asOf: Date | null,
    @Context() context: GraphQLContext,
  ): Promise<AccountNode | null> {
    const principal = accountReader(context);
    const node = !asOf ? await this.stored(id, context) : await this.foldedAt(id, asOf);
    // An account the caller may not see is answered like a missing one: its existence is not theirs to learn.
    if (!node || !canAccessAccount(principal, node.ownerId)) return null;
    return node;
  }

  @ResolveField(() => PillarBalance)
  pillarBalance(
    @Parent() node: AccountNode,
    @Args('windowDays', { type: () => Int, defaultValue: 90, nullable: true }) asked: number | null,
    @Context() { loaders }: GraphQLContext,
  ) {
    // An explicit null means the default, as leaving the argument out does.
    const windowDays = asked ?? 90;
    if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > MAX_WINDOW_DAYS) {
      throw badUserInput([
        { path: 'windowDays', message: `must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}` },
      ]);
    }
    return node.folded ? node.folded.pillarBalance(windowDays) : loaders.pillarBalance(windowDays, node.id);
  }

  @ResolveField(() => [Commitment])
  commitments(
    @Parent() node: AccountNode,
    @Args('status', { type: () => [CommitmentStatus], nullable: true }) status: CommitmentStatus[] | null,
  ) {
    return status?.length ? node.commitments.filter((c) => status.includes(c.status)) : node.commitments;
  }

  @ResolveField(() => TimelineConnection)
  async timeline(
    @Parent() node: AccountNode,
    @Args('first', { type: () => Int, defaultValue: 50, nullable: true }) asked: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('channels', { type: () => [Channel], nullable: true }) channels: Channel[] | null,
    @Args('pillars', { type: () => [Pillar], nullable: true }) pillars: Pillar[] | null,
    @Args('from', { type: () => Date, nullable: true }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true }) to: Date | null,
    @Context() { loaders }: GraphQLContext,
  ) {
    const first = asked ?? 50;
    if (node.folded) {
      return pageTimeline(node.folded.timeline, { first, after, channels, pillars, from, to }, MAX_PAGE_SIZE);
    }
    checkPageSize(first, MAX_PAGE_SIZE);
    const query = { first, after: after ? decodeTimelineCursor(after) : null, channels, pillars, from, to };
    return connectionOf(await loaders.timeline(query, () => node.tier).load(node.id));
  }

  private async stored(id: string, context: GraphQLContext): Promise<AccountNode | null> {
    const facts = await context.loaders.account(id);
    return facts && nodeFromFacts(facts, context.loaders.now);
  }

  private async foldedAt(id: string, asOf: Date): Promise<AccountNode | null> {
    const alerts = await this.alertHistory.openAt(id, asOf);
    const view = await this.history.foldAt(id, asOf, alerts);
    return view && nodeFromView(view);
  }
}

/**
 * A page of the timeline as the connection shows it, made once per page: a page the API keeps
 * between requests (AccountViewCache) is shown again without encoding its cursors again.
 */
const connections = new WeakMap<TimelineSlice, ReturnType<typeof timelineConnection>>();

function connectionOf(slice: TimelineSlice): ReturnType<typeof timelineConnection> {
  let connection = connections.get(slice);
  if (connection === undefined) {
    connection = timelineConnection(slice.entries, slice.hasNextPage);
    connections.set(slice, connection);
  }
  return connection;
}
