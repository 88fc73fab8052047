import { randomUUID } from 'node:crypto';

import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { and, eq } from 'drizzle-orm';

import { RecordTouchpointsCommand } from '#account-commands';
import type { RecordTouchpoint } from '#lifecycle';
import type { TouchpointView } from '#lifecycle-views';
import { ReadModelDatabase, touchpoints } from '#read-model';

import { badUserInput } from '../../http/validation.js';
import { ingestBatch } from '../../ingestion/batch-ingestion.js';
import { TouchpointInputDto } from '../../ingestion/dto/touchpoint-input.dto.js';
import { AccountHistory } from '../accounts/account-history.js';
import type { GraphQLContext } from '../graphql-context.js';
import { touchpointView } from '../loaders/read-model-loaders.js';
import { RecordTouchpointsPayload, Touchpoint } from '../types/objects.js';
import { ReadYourWrites } from './read-your-writes.js';

/** The contract's cap on one recordTouchpoints call. */
export const MAX_TOUCHPOINTS_PER_MUTATION = 500;

@Resolver()
export class TouchpointMutationsResolver {
  constructor(
    private readonly writes: ReadYourWrites,
    private readonly history: AccountHistory,
    private readonly database: ReadModelDatabase,
  ) {}

  @Mutation(() => Touchpoint)
  async recordTouchpoint(
    @Args('input') input: TouchpointInputDto,
    @Context() context: GraphQLContext,
  ): Promise<TouchpointView> {
    const principal = this.writes.writer(context);
    const data = { ...input, touchpointId: input.touchpointId ?? randomUUID() } as RecordTouchpoint['data'];
    const command = new RecordTouchpointsCommand(
      data.accountId,
      [data],
      this.writes.commandContext(principal, context),
    );
    const written = await this.writes.single(command, context, data.accountId);
    if (written.projected) {
      const [row] = await this.database.db
        .select()
        .from(touchpoints)
        .where(and(eq(touchpoints.accountId, data.accountId), eq(touchpoints.id, data.touchpointId)));
      if (row) return touchpointView(row);
    }
    const view = await this.history.foldAt(data.accountId, new Date());
    const touchpoint = view?.touchpoints.find((t) => t.id === data.touchpointId);
    if (!touchpoint) throw new Error(`Touchpoint ${data.touchpointId} was written but cannot be read back`);
    return touchpoint;
  }

  @Mutation(() => RecordTouchpointsPayload, {
    description: 'up to 500 items; each succeeds or fails on its own',
  })
  async recordTouchpoints(
    @Args('inputs', { type: () => [TouchpointInputDto] }) inputs: unknown[],
    @Context() context: GraphQLContext,
  ): Promise<RecordTouchpointsPayload> {
    const principal = this.writes.writer(context);
    if (inputs.length < 1 || inputs.length > MAX_TOUCHPOINTS_PER_MUTATION) {
      throw badUserInput([
        { path: 'inputs', message: `must hold 1 to ${MAX_TOUCHPOINTS_PER_MUTATION} touchpoints` },
      ]);
    }
    const commandContext = this.writes.commandContext(principal, context);
    let lastPosition: bigint | undefined;
    const accountIds = new Set<string>();
    const results = await ingestBatch(inputs, {
      dto: TouchpointInputDto,
      toData: (item) =>
        ({ ...item, touchpointId: item.touchpointId ?? randomUUID() }) as RecordTouchpoint['data'],
      accountOf: (data) => data.accountId,
      keyOf: (data) => ({ touchpointId: data.touchpointId }),
      codeOf: (error) => error.publicCode,
      dispatch: async (accountId, items) => {
        accountIds.add(accountId);
        const result = await this.writes.execute(
          new RecordTouchpointsCommand(accountId, items, commandContext),
        );
        const position = result.commitPosition;
        if (position !== undefined && (lastPosition === undefined || position > lastPosition))
          lastPosition = position;
        return result;
      },
    });
    await this.writes.settle(lastPosition, context);
    for (const accountId of accountIds) context.loaders.forget(accountId);
    return {
      results: results.map((result) => ({
        index: result.index,
        touchpointId: typeof result.touchpointId === 'string' ? result.touchpointId : null,
        status: result.status.toUpperCase() as 'CREATED' | 'DUPLICATE' | 'REJECTED',
        error: result.error
          ? { code: result.error.code, message: result.error.message, field: result.error.field ?? null }
          : null,
      })),
    };
  }
}
