import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { ChangeStage } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Moves an account to another lifecycle stage by the transition table. */
export class ChangeStageCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: ChangeStage['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeStageCommand)
export class ChangeStageHandler implements ICommandHandler<ChangeStageCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: ChangeStageCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.accountId, [{ type: 'ChangeStage', data }], context);
  }
}
