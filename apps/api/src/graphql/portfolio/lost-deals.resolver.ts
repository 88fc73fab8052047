import { ForbiddenException } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';

import { can, principalOf, seesEveryAccount } from '#auth';
import { accounts, ReadModelDatabase, stageVisits } from '#read-model';

import { LostDeal } from '../types/objects.js';

/**
 * Lost deals with their reasons and lessons, newest first, from the read model: what the lost
 * efforts teach, so it feeds back into the approach. The period is `[from, to)` by the time the
 * deal was lost.
 */
@Resolver()
export class LostDealsResolver {
  constructor(private readonly database: ReadModelDatabase) {}

  @Query(() => [LostDeal])
  async lostDeals(
    @Args('from', { type: () => Date, nullable: true }) from: Date | null,
    @Args('to', { type: () => Date, nullable: true }) to: Date | null,
    @Context() context: { req: object },
  ): Promise<LostDeal[]> {
    const principal = principalOf(context.req);
    if (!principal || !can(principal, 'account:read')) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: 'Reading accounts needs the account_manager, leader or admin role',
      });
    }
    const conditions: SQL[] = [eq(stageVisits.stage, 'LOST')];
    if (from) conditions.push(gte(stageVisits.enteredAt, from));
    if (to) conditions.push(lt(stageVisits.enteredAt, to));
    // An account manager reads only the accounts they own.
    if (!seesEveryAccount(principal)) conditions.push(eq(accounts.ownerId, principal.id));
    const rows = await this.database.db
      .select({
        accountId: stageVisits.accountId,
        accountName: accounts.name,
        lostAt: stageVisits.enteredAt,
        fromStage: stageVisits.fromStage,
        reason: stageVisits.reason,
        lessons: stageVisits.lessons,
      })
      .from(stageVisits)
      .innerJoin(accounts, eq(accounts.id, stageVisits.accountId))
      .where(and(...conditions))
      .orderBy(desc(stageVisits.enteredAt), stageVisits.accountId);
    return rows.map((row) => ({
      ...row,
      // LOST always comes from another stage and always has a reason (the domain requires both).
      fromStage: row.fromStage!,
      reason: row.reason ?? '',
    }));
  }
}
