import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { RecordAccountSilent } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** The system records that an account went silent. */
export class RecordAccountSilentCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: RecordAccountSilent['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordAccountSilentCommand)
export class RecordAccountSilentHandler implements ICommandHandler<RecordAccountSilentCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: RecordAccountSilentCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.accountId, [{ type: 'RecordAccountSilent', data }], context);
  }
}
