import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { OpenAccount } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Opens an account (idempotent by id). */
export class OpenAccountCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: OpenAccount['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: OpenAccountCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.id, [{ type: 'OpenAccount', data }], context);
  }
}
