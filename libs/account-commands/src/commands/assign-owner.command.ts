import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { AssignOwner } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Hands an account to another account manager. */
export class AssignOwnerCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: AssignOwner['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AssignOwnerCommand)
export class AssignOwnerHandler implements ICommandHandler<AssignOwnerCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: AssignOwnerCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.accountId, [{ type: 'AssignOwner', data }], context);
  }
}
