import type { LifecycleStage } from './lifecycle-stage.enum.js';

export const LifecyclePhase = {
  PRE_SALES: 'PRE_SALES',
  ONBOARDING: 'ONBOARDING',
  RETENTION: 'RETENTION',
  EXITED: 'EXITED',
} as const;
export type LifecyclePhase = (typeof LifecyclePhase)[keyof typeof LifecyclePhase];
export const LIFECYCLE_PHASES: readonly LifecyclePhase[] = Object.values(LifecyclePhase);

const PHASE_OF: Readonly<Record<LifecycleStage, LifecyclePhase>> = {
  PROSPECT: 'PRE_SALES',
  DISCOVERY: 'PRE_SALES',
  PROPOSAL: 'PRE_SALES',
  ONBOARDING: 'ONBOARDING',
  ACTIVE: 'RETENTION',
  RENEWAL: 'RETENTION',
  ADVOCATE: 'RETENTION',
  LOST: 'EXITED',
  CHURNED: 'EXITED',
};

export function phaseOf(stage: LifecycleStage): LifecyclePhase {
  return PHASE_OF[stage];
}

export function isExited(stage: LifecycleStage): boolean {
  return PHASE_OF[stage] === 'EXITED';
}
