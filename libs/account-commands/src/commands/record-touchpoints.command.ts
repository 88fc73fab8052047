import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { RecordTouchpoint } from '#lifecycle';

import { AccountCommandExecutor, type AccountCommandsResult } from '../account-command.executor.js';
import type { CommandContext } from '../command-context.js';

/** Records touchpoints of one account, in order, appended together. */
export class RecordTouchpointsCommand extends Command<AccountCommandsResult> {
  constructor(
    readonly accountId: string,
    readonly items: ReadonlyArray<RecordTouchpoint['data']>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordTouchpointsCommand)
export class RecordTouchpointsHandler implements ICommandHandler<RecordTouchpointsCommand> {
  constructor(private readonly executor: AccountCommandExecutor) {}

  execute({ accountId, items, context }: RecordTouchpointsCommand): Promise<AccountCommandsResult> {
    return this.executor.execute(
      accountId,
      items.map((data) => ({ type: 'RecordTouchpoint', data }) as const),
      context,
    );
  }
}
