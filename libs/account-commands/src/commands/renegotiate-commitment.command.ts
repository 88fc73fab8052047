import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { RenegotiateCommitment } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Agrees a new due date for a commitment. */
export class RenegotiateCommitmentCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: RenegotiateCommitment['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RenegotiateCommitmentCommand)
export class RenegotiateCommitmentHandler implements ICommandHandler<RenegotiateCommitmentCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: RenegotiateCommitmentCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.accountId, [{ type: 'RenegotiateCommitment', data }], context);
  }
}
