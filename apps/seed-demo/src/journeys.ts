import type { LifecycleStage } from '#lifecycle';

import type { Random } from './random.js';
import { CHURN_REASONS, LOST_LESSONS, LOST_REASONS } from './word-lists.js';

/**
 * How an account came to be where it is: won as new business, won back after churning,
 * re-engaged after a lost deal, or imported as an existing customer (opened as ACTIVE).
 */
export type JourneyKind = 'NEW_BUSINESS' | 'WIN_BACK' | 'RE_ENGAGED' | 'IMPORTED';

type Path = LifecycleStage[];

/** Stages a win-back or a re-engagement can have reached by now (a second loss is left out). */
export const SECOND_CHANCE_FINALS: readonly LifecycleStage[] = [
  'PROSPECT',
  'DISCOVERY',
  'PROPOSAL',
  'ONBOARDING',
  'ACTIVE',
];

/** Stages an imported customer can be in: it starts ACTIVE and stays a customer or leaves. */
export const IMPORTED_FINALS: readonly LifecycleStage[] = ['ACTIVE', 'RENEWAL', 'ADVOCATE', 'CHURNED'];

/** PROSPECT to PROPOSAL, sometimes going cold or back to discovery on the way. */
function salesPath(r: Random): Path {
  const path: Path = ['PROSPECT', 'DISCOVERY'];
  if (r.chance(0.15)) path.push('PROSPECT', 'DISCOVERY');
  path.push('PROPOSAL');
  if (r.chance(0.15)) path.push('DISCOVERY', 'PROPOSAL');
  return path;
}

/** Cycles that leave ACTIVE and come back to it: renewals, advocacy, re-onboarding. */
function retentionLoops(r: Random, max: number): Path {
  const path: Path = [];
  for (let loops = r.int(0, max); loops > 0; loops--) {
    const loop = r.weighted({ renewal: 5, advocate: 2, reOnboarding: 1 });
    if (loop === 'renewal') path.push('RENEWAL', 'ACTIVE');
    else if (loop === 'advocate') path.push('ADVOCATE', 'ACTIVE');
    else path.push('ONBOARDING', 'ACTIVE');
  }
  return path;
}

function customerPath(r: Random): Path {
  return [...salesPath(r), 'ONBOARDING', 'ACTIVE', ...retentionLoops(r, 2)];
}

/** A new-business path from PROSPECT that ends in `final`. */
function newBusinessPath(final: LifecycleStage, r: Random): Path {
  switch (final) {
    case 'PROSPECT':
      return r.chance(0.3) ? ['PROSPECT', 'DISCOVERY', 'PROSPECT'] : ['PROSPECT'];
    case 'DISCOVERY':
      return r.chance(0.2) ? ['PROSPECT', 'DISCOVERY', 'PROPOSAL', 'DISCOVERY'] : ['PROSPECT', 'DISCOVERY'];
    case 'PROPOSAL':
      return salesPath(r);
    case 'ONBOARDING':
      return [...salesPath(r), 'ONBOARDING'];
    case 'ACTIVE':
      return customerPath(r);
    case 'RENEWAL':
      return [...customerPath(r), 'RENEWAL'];
    case 'ADVOCATE':
      return [
        ...customerPath(r),
        ...(r.chance(0.3) ? (['RENEWAL', 'ADVOCATE'] as Path) : ['ADVOCATE' as const]),
      ];
    case 'LOST': {
      const at = r.weighted({ PROSPECT: 2, DISCOVERY: 4, PROPOSAL: 4 });
      if (at === 'PROSPECT') return ['PROSPECT', 'LOST'];
      if (at === 'DISCOVERY') return ['PROSPECT', 'DISCOVERY', 'LOST'];
      return [...salesPath(r), 'LOST'];
    }
    case 'CHURNED':
      // Some never get through onboarding; most leave from retention.
      if (r.chance(0.12)) return [...salesPath(r), 'ONBOARDING', 'CHURNED'];
      return [...customerPath(r), ...r.pick<Path>([[], ['RENEWAL'], ['ADVOCATE']]), 'CHURNED'];
  }
}

function importedPath(final: LifecycleStage, r: Random): Path {
  const loops = retentionLoops(r, 2);
  switch (final) {
    case 'ACTIVE':
      return ['ACTIVE', ...loops];
    case 'RENEWAL':
      return ['ACTIVE', ...loops, 'RENEWAL'];
    case 'ADVOCATE':
      return ['ACTIVE', ...loops, 'ADVOCATE'];
    case 'CHURNED':
      return ['ACTIVE', ...loops, ...(r.chance(0.4) ? ['RENEWAL' as const] : []), 'CHURNED'];
    default:
      throw new Error(`an imported account cannot end in ${final}`);
  }
}

/**
 * The stages an account goes through, from the stage it is opened in to `final`; every
 * consecutive pair is an allowed transition.
 */
export function journeyPath(kind: JourneyKind, final: LifecycleStage, r: Random): Path {
  switch (kind) {
    case 'NEW_BUSINESS':
      return newBusinessPath(final, r);
    case 'IMPORTED':
      return importedPath(final, r);
    case 'WIN_BACK':
      return [...newBusinessPath('CHURNED', r), ...newBusinessPath(final, r)];
    case 'RE_ENGAGED':
      return [...newBusinessPath('LOST', r), ...newBusinessPath(final, r)];
  }
}

/** Why the move happened: required for LOST and CHURNED, given for some others. */
export function transitionReason(
  from: LifecycleStage,
  to: LifecycleStage,
  r: Random,
): { reason?: string; lessons?: string } {
  if (to === 'LOST') {
    // Most lost deals teach something; a few are written off without a lesson.
    return r.chance(0.85)
      ? { reason: r.pick(LOST_REASONS), lessons: r.pick(LOST_LESSONS) }
      : { reason: r.pick(LOST_REASONS) };
  }
  if (to === 'CHURNED') return { reason: r.pick(CHURN_REASONS) };
  if (from === 'CHURNED') return { reason: 'Win-back: new leadership agreed to talk again' };
  if (from === 'LOST') return { reason: 'Re-engaged: their budget was approved this year' };
  if (from === 'PROPOSAL' && to === 'ONBOARDING') return { reason: 'Contract signed' };
  if (from === 'RENEWAL' && to === 'ACTIVE') return { reason: `Renewed for ${r.int(1, 3)} years` };
  if (from === 'ACTIVE' && to === 'ONBOARDING') return { reason: 'Re-onboarding after their reorganisation' };
  if (to === 'ADVOCATE') return { reason: 'Agreed to be a reference customer' };
  if (from === 'DISCOVERY' && to === 'PROSPECT') return { reason: 'Went quiet after the first calls' };
  if (from === 'PROPOSAL' && to === 'DISCOVERY') return { reason: 'Scope changed; back to discovery' };
  return {};
}
