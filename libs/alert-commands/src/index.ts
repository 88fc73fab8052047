// The write side of alert streams (`alert-<id>`): raising, escalating, acknowledging and resolving.
export { AlertAccessDeniedError, assertMayChangeAlert, managesEveryAlert } from './alert-access.js';
export { AlertCommandExecutor } from './alert-command.executor.js';
export type { AlertCommandResult } from './alert-command.executor.js';
export { AlertCommandsModule } from './alert-commands.module.js';
export { ALERT_ID_MAX_LENGTH, alertInputProblems } from './alert-input.js';
export { AcknowledgeAlertCommand, AcknowledgeAlertHandler } from './commands/acknowledge-alert.command.js';
export { ResolveAlertCommand, ResolveAlertHandler } from './commands/resolve-alert.command.js';
