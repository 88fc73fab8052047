import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { CommandContext } from '#account-commands';

import { AlertCommandExecutor, type AlertCommandResult } from '../alert-command.executor.js';

/** A person resolves an alert by hand, saying why. */
export class ResolveAlertCommand extends Command<AlertCommandResult> {
  constructor(
    readonly data: { readonly alertId: string; readonly reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ResolveAlertCommand)
export class ResolveAlertHandler implements ICommandHandler<ResolveAlertCommand> {
  constructor(private readonly executor: AlertCommandExecutor) {}

  execute({ data, context }: ResolveAlertCommand): Promise<AlertCommandResult> {
    return this.executor.execute(
      {
        type: 'ResolveAlert',
        data: {
          alertId: data.alertId,
          resolution: 'MANUAL',
          by: context.principal.id,
          reason: data.reason,
          cause: null,
        },
      },
      context,
    );
  }
}
