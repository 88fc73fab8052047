import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { SetCadence } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Sets or clears the agreed contact cadence. */
export class SetCadenceCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: SetCadence['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(SetCadenceCommand)
export class SetCadenceHandler implements ICommandHandler<SetCadenceCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: SetCadenceCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.accountId, [{ type: 'SetCadence', data }], context);
  }
}
