import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { CancelCommitment } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Cancels a commitment. */
export class CancelCommitmentCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: CancelCommitment['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CancelCommitmentCommand)
export class CancelCommitmentHandler implements ICommandHandler<CancelCommitmentCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: CancelCommitmentCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.accountId, [{ type: 'CancelCommitment', data }], context);
  }
}
