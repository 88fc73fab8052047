import { randomUUID } from 'node:crypto';

import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';

import {
  CancelCommitmentCommand,
  FulfilCommitmentCommand,
  MakeCommitmentsCommand,
  RenegotiateCommitmentCommand,
} from '#account-commands';
import type { MakeCommitment } from '#lifecycle';
import type { CommitmentView } from '#lifecycle-views';

import { MakeCommitmentInputDto } from '../../ingestion/dto/make-commitment-input.dto.js';
import { AccountHistory } from '../accounts/account-history.js';
import type { GraphQLContext } from '../graphql-context.js';
import { Commitment } from '../types/objects.js';
import {
  CancelCommitmentInput,
  FulfilCommitmentInput,
  RenegotiateCommitmentInput,
} from './operation.inputs.js';
import { ReadYourWrites, type Written } from './read-your-writes.js';

/** Commitments made to customers and what became of them; each answers the commitment as it then stands. */
@Resolver()
export class CommitmentMutationsResolver {
  constructor(
    private readonly writes: ReadYourWrites,
    private readonly history: AccountHistory,
  ) {}

  @Mutation(() => Commitment)
  async makeCommitment(@Args('input') input: MakeCommitmentInputDto, @Context() context: GraphQLContext) {
    const principal = this.writes.writer(context);
    const data = { ...input, commitmentId: input.commitmentId ?? randomUUID() } as MakeCommitment['data'];
    const command = new MakeCommitmentsCommand(
      data.accountId,
      [data],
      this.writes.commandContext(principal, context),
    );
    const written = await this.writes.single(command, context, data.accountId);
    return this.commitmentAfter(data.accountId, data.commitmentId, written, context);
  }

  @Mutation(() => Commitment)
  async fulfilCommitment(@Args('input') input: FulfilCommitmentInput, @Context() context: GraphQLContext) {
    const principal = this.writes.writer(context);
    const command = new FulfilCommitmentCommand(input, this.writes.commandContext(principal, context));
    const written = await this.writes.single(command, context, input.accountId);
    return this.commitmentAfter(input.accountId, input.commitmentId, written, context);
  }

  @Mutation(() => Commitment)
  async renegotiateCommitment(
    @Args('input') input: RenegotiateCommitmentInput,
    @Context() context: GraphQLContext,
  ) {
    const principal = this.writes.writer(context);
    const command = new RenegotiateCommitmentCommand(input, this.writes.commandContext(principal, context));
    const written = await this.writes.single(command, context, input.accountId);
    return this.commitmentAfter(input.accountId, input.commitmentId, written, context);
  }

  @Mutation(() => Commitment)
  async cancelCommitment(@Args('input') input: CancelCommitmentInput, @Context() context: GraphQLContext) {
    const principal = this.writes.writer(context);
    const command = new CancelCommitmentCommand(input, this.writes.commandContext(principal, context));
    const written = await this.writes.single(command, context, input.accountId);
    return this.commitmentAfter(input.accountId, input.commitmentId, written, context);
  }

  /** From the read model once it shows the write, else folded from the stream (said in extensions). */
  private async commitmentAfter(
    accountId: string,
    commitmentId: string,
    written: Written,
    context: GraphQLContext,
  ): Promise<CommitmentView> {
    if (written.projected) {
      const found = (await context.loaders.commitments(accountId)).find((c) => c.id === commitmentId);
      if (found) return found;
    }
    const view = await this.history.foldAt(accountId, new Date());
    const commitment = view?.commitments.find((c) => c.id === commitmentId);
    if (!commitment) throw new Error(`Commitment ${commitmentId} was written but cannot be read back`);
    return commitment;
  }
}
