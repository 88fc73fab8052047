import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';

import {
  AssignOwnerCommand,
  ChangeStageCommand,
  OpenAccountCommand,
  SetCadenceCommand,
} from '#account-commands';
import type { ChangeStage, OpenAccount } from '#lifecycle';

import { OpenAccountInputDto } from '../../ingestion/dto/open-account-input.dto.js';
import { AccountHistory } from '../accounts/account-history.js';
import { nodeFromFacts, nodeFromView, type AccountNode } from '../accounts/account-node.js';
import type { GraphQLContext } from '../graphql-context.js';
import { Account } from '../types/objects.js';
import { AssignOwnerInput, ChangeStageInput, SetCadenceInput } from './operation.inputs.js';
import { ReadYourWrites, type Written } from './read-your-writes.js';

/** Mutations on the account itself; each answers the account as the read model then shows it. */
@Resolver(() => Account)
export class AccountMutationsResolver {
  constructor(
    private readonly writes: ReadYourWrites,
    private readonly history: AccountHistory,
  ) {}

  @Mutation(() => Account)
  async openAccount(@Args('input') input: OpenAccountInputDto, @Context() context: GraphQLContext) {
    const principal = this.writes.writer(context);
    const command = new OpenAccountCommand(
      input as unknown as OpenAccount['data'],
      this.writes.commandContext(principal, context),
    );
    return this.accountAfter(input.id, await this.writes.single(command, context, input.id), context);
  }

  @Mutation(() => Account)
  async changeStage(@Args('input') input: ChangeStageInput, @Context() context: GraphQLContext) {
    const principal = this.writes.writer(context);
    const command = new ChangeStageCommand(
      input as ChangeStage['data'],
      this.writes.commandContext(principal, context),
    );
    return this.accountAfter(
      input.accountId,
      await this.writes.single(command, context, input.accountId),
      context,
    );
  }

  @Mutation(() => Account)
  async assignOwner(@Args('input') input: AssignOwnerInput, @Context() context: GraphQLContext) {
    const principal = this.writes.writer(context);
    const command = new AssignOwnerCommand(input, this.writes.commandContext(principal, context));
    return this.accountAfter(
      input.accountId,
      await this.writes.single(command, context, input.accountId),
      context,
    );
  }

  @Mutation(() => Account)
  async setCadence(@Args('input') input: SetCadenceInput, @Context() context: GraphQLContext) {
    const principal = this.writes.writer(context);
    const command = new SetCadenceCommand(
      { accountId: input.accountId, cadenceDays: input.cadenceDays ?? null },
      this.writes.commandContext(principal, context),
    );
    return this.accountAfter(
      input.accountId,
      await this.writes.single(command, context, input.accountId),
      context,
    );
  }

  /** From the read model once it shows the write, else folded from the stream (said in extensions). */
  private async accountAfter(
    accountId: string,
    written: Written,
    context: GraphQLContext,
  ): Promise<AccountNode> {
    if (written.projected) {
      const facts = await context.loaders.account(accountId);
      if (facts) return nodeFromFacts(facts, context.loaders.now);
    }
    const view = await this.history.foldAt(accountId, new Date());
    if (!view) throw new Error(`Account ${accountId} was written but cannot be read back`);
    return nodeFromView(view);
  }
}
