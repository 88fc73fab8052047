export const LifecycleStage = {
  PROSPECT: 'PROSPECT',
  DISCOVERY: 'DISCOVERY',
  PROPOSAL: 'PROPOSAL',
  ONBOARDING: 'ONBOARDING',
  ACTIVE: 'ACTIVE',
  RENEWAL: 'RENEWAL',
  ADVOCATE: 'ADVOCATE',
  LOST: 'LOST',
  CHURNED: 'CHURNED',
} as const;
export type LifecycleStage = (typeof LifecycleStage)[keyof typeof LifecycleStage];
/** In funnel order. */
export const LIFECYCLE_STAGES: readonly LifecycleStage[] = Object.values(LifecycleStage);
