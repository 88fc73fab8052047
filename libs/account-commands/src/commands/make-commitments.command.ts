import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { MakeCommitment } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Records commitments made to one account, in order, appended together. */
export class MakeCommitmentsCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly accountId: string,
    readonly items: ReadonlyArray<MakeCommitment['data']>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(MakeCommitmentsCommand)
export class MakeCommitmentsHandler implements ICommandHandler<MakeCommitmentsCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ accountId, items, context }: MakeCommitmentsCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(
      accountId,
      items.map((data) => ({ type: 'MakeCommitment', data }) as const),
      context,
    );
  }
}
