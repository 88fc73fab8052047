export { AccountAccessDeniedError } from './account-access.error.js';
export { AccountCommandExecutor, toItemError } from './account-command.executor.js';
export type { AccountCommandsResult } from './account-command.executor.js';
export { AccountCommandsModule } from './account-commands.module.js';
export { Clock, SystemClock } from './clock.js';
export { SYSTEM_PRINCIPAL } from './command-context.js';
export type { CommandContext } from './command-context.js';
export { isRejected, rejected } from './item-result.js';
export type { ItemError, ItemResult, RejectedItem } from './item-result.js';
export { OpenAccountCommand, OpenAccountHandler } from './commands/open-account.command.js';
export { ChangeStageCommand, ChangeStageHandler } from './commands/change-stage.command.js';
export { AssignOwnerCommand, AssignOwnerHandler } from './commands/assign-owner.command.js';
export { SetCadenceCommand, SetCadenceHandler } from './commands/set-cadence.command.js';
export { RecordTouchpointsCommand, RecordTouchpointsHandler } from './commands/record-touchpoints.command.js';
export { MakeCommitmentsCommand, MakeCommitmentsHandler } from './commands/make-commitments.command.js';
export { FulfilCommitmentCommand, FulfilCommitmentHandler } from './commands/fulfil-commitment.command.js';
export {
  RenegotiateCommitmentCommand,
  RenegotiateCommitmentHandler,
} from './commands/renegotiate-commitment.command.js';
export { CancelCommitmentCommand, CancelCommitmentHandler } from './commands/cancel-commitment.command.js';
export {
  RecordCommitmentMissedCommand,
  RecordCommitmentMissedHandler,
} from './commands/record-commitment-missed.command.js';
export {
  RecordAccountSilentCommand,
  RecordAccountSilentHandler,
} from './commands/record-account-silent.command.js';
