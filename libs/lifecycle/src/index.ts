// The account stream's write side: enums and tables shared with the read side, events,
// state, commands, decide and evolve. Pure: no Nest, no I/O, no clock, no randomness.
export { DEFAULT_CADENCE_DAYS, effectiveCadenceDays } from './account/cadence.policy.js';
export { isExited, LIFECYCLE_PHASES, LifecyclePhase, phaseOf } from './account/lifecycle-phase.enum.js';
export { LIFECYCLE_STAGES, LifecycleStage } from './account/lifecycle-stage.enum.js';
export { stageAt } from './account/stage-at.policy.js';
export {
  canTransition,
  STAGE_TRANSITIONS,
  STAGES_REQUIRING_REASON,
} from './account/stage-transitions.table.js';
export { Tier, TIERS } from './account/tier.enum.js';
export { CHANNELS, Channel } from './touchpoints/channel.enum.js';
export { DIRECTIONS, Direction } from './touchpoints/direction.enum.js';
export { PILLARS, Pillar } from './touchpoints/pillar.enum.js';
export { SENTIMENTS, Sentiment } from './touchpoints/sentiment.enum.js';
export { isQualifyingTouch } from './touchpoints/qualifying-touch.policy.js';
export { COMMITMENT_STATUSES, CommitmentStatus } from './commitments/commitment-status.enum.js';
export { isDueForSilence, silenceClockStart } from './silence/silence.policy.js';

export type {
  AccountCadenceSet,
  AccountOpened,
  AccountOwnerAssigned,
  LifecycleStageChanged,
} from './account/account.events.js';
export type { TouchpointRecorded } from './touchpoints/touchpoint.events.js';
export type {
  CommitmentCancelled,
  CommitmentFulfilled,
  CommitmentMade,
  CommitmentMissed,
  CommitmentRenegotiated,
} from './commitments/commitment.events.js';
export type { AccountReEngaged, AccountWentSilent } from './silence/silence.events.js';
export { ACCOUNT_EVENT_TYPES, accountStreamName } from './account-event.js';
export type { AccountEvent, AccountEventType } from './account-event.js';

export type { AssignOwner, ChangeStage, OpenAccount, SetCadence } from './account/account.commands.js';
export type { RecordTouchpoint } from './touchpoints/touchpoint.commands.js';
export type {
  CancelCommitment,
  FulfilCommitment,
  MakeCommitment,
  RecordCommitmentMissed,
  RenegotiateCommitment,
} from './commitments/commitment.commands.js';
export type { RecordAccountSilent } from './silence/silence.commands.js';
export type { AccountCommand, AccountCommandType } from './account-command.js';

export { ACCOUNT_STATE_VERSION, initialAccountState } from './account-state.js';
export type { AccountState, CommitmentRecord, OpenedAccountState, StageVisit } from './account-state.js';
export { indexGet as lookupById, indexSize } from './shared/id-index.js';
export type { IdIndex } from './shared/id-index.js';

export { accountDecider } from './account.decider.js';
export { decide } from './decide.js';
export { evolve, evolveAll } from './evolve.js';
export type { DecideContext, Decision, DecisionOutcome } from './decision.js';

export { DomainError, DomainErrorCode, isDomainError, PUBLIC_ERROR_CODE } from './domain-error.js';
export type { FieldError, PublicErrorCode } from './domain-error.js';
export { DAY_MS, LIMITS } from './shared/limits.js';
export { unstorableTextProblem } from './shared/field-errors.js';
export type { Instant } from './shared/instant.js';
export { instantRangeProblem, parseInstant } from './shared/instant.js';
export type { Event, Json, JsonData } from './shared/json.js';
