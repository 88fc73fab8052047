import type { OpenedAccountState } from '../account-state.js';
import { ms } from '../shared/instant.js';
import type { LifecycleStage } from './lifecycle-stage.enum.js';

/** The stage the account was in at `at` (its opening stage for a touch before it opened). */
export function stageAt(account: OpenedAccountState, at: number): LifecycleStage {
  let stage = account.stageHistory[0]?.stage ?? account.stage;
  for (const visit of account.stageHistory) {
    if (ms(visit.enteredAt) > at) break;
    stage = visit.stage;
  }
  return stage;
}
