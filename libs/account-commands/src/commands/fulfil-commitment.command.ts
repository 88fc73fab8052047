import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { FulfilCommitment } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Marks a commitment fulfilled (on time or late). */
export class FulfilCommitmentCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: FulfilCommitment['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(FulfilCommitmentCommand)
export class FulfilCommitmentHandler implements ICommandHandler<FulfilCommitmentCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: FulfilCommitmentCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.accountId, [{ type: 'FulfilCommitment', data }], context);
  }
}
