import { ForbiddenException } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';

import { can, principalOf, seesEveryAccount } from '#auth';
import { DAY_MS, Tier } from '#lifecycle';
import { ReadModelDatabase } from '#read-model';

import { badUserInput } from '../../http/validation.js';
import { Funnel } from '../types/objects.js';
import { FUNNEL_NEXT_STAGE, queryFunnel } from './funnel.query.js';

/** Longest period asked at once: ten years and their leap days. */
export const MAX_FUNNEL_PERIOD_DAYS = 3660;

/**
 * The lifecycle funnel from the read model's stage visits (one per stay of an account in a
 * stage), every stage in lifecycle order:
 * - the period is `[from, to)` in business time (when the stage changed, not when it was
 *   recorded); `to` must be after `from`, by at most {@link MAX_FUNNEL_PERIOD_DAYS} days;
 * - `current`: accounts in the stage now, whatever the period;
 * - `entered`: visits that began in the period, the opening stage of an account opened in it
 *   included; `exited`: visits that ended in the period (an account that comes back counts
 *   each time);
 * - `conversionRate`: of the visits that ended in the period, the share that moved to the
 *   stage's next stage ({@link FUNNEL_NEXT_STAGE}); null when none ended, and always null for
 *   LOST and CHURNED, which have no next stage;
 * - `medianDaysInStage`: the median length, in fractional days, of the visits that ended in
 *   the period; null when none did;
 * - `tiers` (omitted or empty: every tier) and the caller's reach apply to every number:
 *   an account manager counts only the accounts they own now, with their whole history;
 *   leaders and admins count every account.
 */
@Resolver()
export class FunnelResolver {
  constructor(private readonly database: ReadModelDatabase) {}

  @Query(() => Funnel)
  async funnel(
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
    @Args('tiers', { type: () => [Tier], nullable: true }) tiers: Tier[] | null,
    @Context() context: { req: object },
  ): Promise<Funnel> {
    const principal = principalOf(context.req);
    if (!principal || !can(principal, 'account:read')) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: 'Reading accounts needs the account_manager, leader or admin role',
      });
    }
    const length = to.getTime() - from.getTime();
    if (!(length > 0)) throw badUserInput([{ path: 'to', message: 'must be after from' }]);
    if (length > MAX_FUNNEL_PERIOD_DAYS * DAY_MS) {
      throw badUserInput([
        { path: 'to', message: `must be at most ${MAX_FUNNEL_PERIOD_DAYS} days after from` },
      ]);
    }
    const stages = await queryFunnel(this.database.db, {
      from,
      to,
      tiers: tiers?.length ? tiers : undefined,
      ownerId: seesEveryAccount(principal) ? undefined : principal.id,
    });
    return {
      from,
      to,
      stages: stages.map(({ converted, ...counts }) => ({
        ...counts,
        conversionRate:
          FUNNEL_NEXT_STAGE[counts.stage] === null || counts.exited === 0 ? null : converted / counts.exited,
      })),
    };
  }
}
