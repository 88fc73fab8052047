import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { AccountCommandExecutor } from './account-command.executor.js';
import { Clock, SystemClock } from './clock.js';
import { OpenAccountHandler } from './commands/open-account.command.js';
import { ChangeStageHandler } from './commands/change-stage.command.js';
import { AssignOwnerHandler } from './commands/assign-owner.command.js';
import { SetCadenceHandler } from './commands/set-cadence.command.js';
import { RecordTouchpointsHandler } from './commands/record-touchpoints.command.js';
import { MakeCommitmentsHandler } from './commands/make-commitments.command.js';
import { FulfilCommitmentHandler } from './commands/fulfil-commitment.command.js';
import { RenegotiateCommitmentHandler } from './commands/renegotiate-commitment.command.js';
import { CancelCommitmentHandler } from './commands/cancel-commitment.command.js';
import { RecordCommitmentMissedHandler } from './commands/record-commitment-missed.command.js';
import { RecordAccountSilentHandler } from './commands/record-account-silent.command.js';

/** The write side of the account stream: one CQRS handler per lifecycle command. Needs EventStoreModule. */
@Module({
  imports: [CqrsModule],
  providers: [
    AccountCommandExecutor,
    { provide: Clock, useClass: SystemClock },
    OpenAccountHandler,
    ChangeStageHandler,
    AssignOwnerHandler,
    SetCadenceHandler,
    RecordTouchpointsHandler,
    MakeCommitmentsHandler,
    FulfilCommitmentHandler,
    RenegotiateCommitmentHandler,
    CancelCommitmentHandler,
    RecordCommitmentMissedHandler,
    RecordAccountSilentHandler,
  ],
  exports: [AccountCommandExecutor, Clock, CqrsModule],
})
export class AccountCommandsModule {}
