import type { LifecycleStage } from './lifecycle-stage.enum.js';

/** product.md's transition table; a move to the current stage is a no-op, not a transition. */
export const STAGE_TRANSITIONS: Readonly<Record<LifecycleStage, readonly LifecycleStage[]>> = {
  PROSPECT: ['DISCOVERY', 'LOST'],
  DISCOVERY: ['PROPOSAL', 'PROSPECT', 'LOST'],
  PROPOSAL: ['ONBOARDING', 'DISCOVERY', 'LOST'],
  ONBOARDING: ['ACTIVE', 'CHURNED'],
  ACTIVE: ['RENEWAL', 'ADVOCATE', 'ONBOARDING', 'CHURNED'],
  RENEWAL: ['ACTIVE', 'ADVOCATE', 'CHURNED'],
  ADVOCATE: ['ACTIVE', 'RENEWAL', 'CHURNED'],
  LOST: ['PROSPECT'],
  CHURNED: ['PROSPECT'],
};

export function canTransition(from: LifecycleStage, to: LifecycleStage): boolean {
  return STAGE_TRANSITIONS[from].includes(to);
}

/** Stages a move into needs a `reason`. */
export const STAGES_REQUIRING_REASON: readonly LifecycleStage[] = ['LOST', 'CHURNED'];
