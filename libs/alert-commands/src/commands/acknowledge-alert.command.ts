import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import type { CommandContext } from '#account-commands';

import { AlertCommandExecutor, type AlertCommandResult } from '../alert-command.executor.js';

/** A person takes note of an alert (who and when are recorded, with an optional note). */
export class AcknowledgeAlertCommand extends Command<AlertCommandResult> {
  constructor(
    readonly data: { readonly alertId: string; readonly note: string | null },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AcknowledgeAlertCommand)
export class AcknowledgeAlertHandler implements ICommandHandler<AcknowledgeAlertCommand> {
  constructor(private readonly executor: AlertCommandExecutor) {}

  execute({ data, context }: AcknowledgeAlertCommand): Promise<AlertCommandResult> {
    return this.executor.execute(
      {
        type: 'AcknowledgeAlert',
        data: { alertId: data.alertId, by: context.principal.id, note: data.note },
      },
      context,
    );
  }
}
