import { Module } from '@nestjs/common';

import { AccountCommandsModule } from '#account-commands';

import { AlertCommandExecutor } from './alert-command.executor.js';
import { AcknowledgeAlertHandler } from './commands/acknowledge-alert.command.js';
import { ResolveAlertHandler } from './commands/resolve-alert.command.js';

/** The write side of alert streams: the executor and people's commands. Needs EventStoreModule. */
@Module({
  imports: [AccountCommandsModule],
  providers: [AlertCommandExecutor, AcknowledgeAlertHandler, ResolveAlertHandler],
  exports: [AlertCommandExecutor, AccountCommandsModule],
})
export class AlertCommandsModule {}
