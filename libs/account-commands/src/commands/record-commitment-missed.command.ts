import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { RecordCommitmentMissed } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** The system records that an open commitment passed its due time. */
export class RecordCommitmentMissedCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly data: RecordCommitmentMissed['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordCommitmentMissedCommand)
export class RecordCommitmentMissedHandler implements ICommandHandler<RecordCommitmentMissedCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ data, context }: RecordCommitmentMissedCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(data.accountId, [{ type: 'RecordCommitmentMissed', data }], context);
  }
}
