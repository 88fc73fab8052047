// The demo portfolio as data: what to send, in what order, with which ids. Pure and
// deterministic: the same options give the same plan, so a re-run sends identical items and the
// service answers each with "duplicate".
import {
  DAY_MS,
  DEFAULT_CADENCE_DAYS,
  isExited,
  LIFECYCLE_STAGES,
  TIERS,
  type LifecycleStage,
  type Tier,
} from '#lifecycle';

import { EVERY_KIND_TOUCHES, planActivity, TOUCH_DENSITY } from './account-activity.js';
import { companyNames, peopleOf } from './company-names.js';
import {
  DEMO_LIMITS,
  iso,
  roundToSecond,
  type AccountOutline,
  type AccountPlan,
  type DemoOptions,
  type DemoPortfolio,
  type JourneyKind,
  type Mood,
  type StageChangeItem,
} from './demo-plan.js';
import { IMPORTED_FINALS, journeyPath, SECOND_CHANCE_FINALS, transitionReason } from './journeys.js';
import { randomFor, type Random } from './random.js';
import type { DemoTeam } from './touch-content.js';

export * from './demo-plan.js';

/**
 * The first accounts always tell the same stories so that even a small portfolio has every
 * stage, every tier (index modulo 4), a win-back, a re-engaged lost deal and a silent account.
 * The one at EVERY_KIND_INDEX also carries every kind of touch and every commitment outcome.
 */
const SHOWCASE: ReadonlyArray<{ final: LifecycleStage; journey: JourneyKind; silent: boolean }> = [
  ...LIFECYCLE_STAGES.map((final) => ({ final, journey: 'NEW_BUSINESS' as const, silent: false })),
  { final: 'DISCOVERY', journey: 'WIN_BACK', silent: false },
  { final: 'ACTIVE', journey: 'RE_ENGAGED', silent: false },
  { final: 'ACTIVE', journey: 'IMPORTED', silent: true },
];
const EVERY_KIND_INDEX = LIFECYCLE_STAGES.indexOf('ACTIVE');

const TIER_WEIGHTS: Readonly<Record<Tier, number>> = { STRATEGIC: 8, ENTERPRISE: 20, MIDMARKET: 34, SMB: 38 };
const FINAL_STAGE_WEIGHTS: Readonly<Record<LifecycleStage, number>> = {
  PROSPECT: 10,
  DISCOVERY: 8,
  PROPOSAL: 6,
  ONBOARDING: 6,
  ACTIVE: 30,
  RENEWAL: 8,
  ADVOCATE: 8,
  LOST: 14,
  CHURNED: 10,
};
const SILENT_SHARE = 0.12;

/** Typical days spent in a stage before moving on (or so far, for the current one). */
const DWELL_DAYS: Readonly<Record<LifecycleStage, readonly [number, number]>> = {
  PROSPECT: [4, 35],
  DISCOVERY: [10, 45],
  PROPOSAL: [7, 40],
  ONBOARDING: [20, 75],
  ACTIVE: [45, 240],
  RENEWAL: [14, 45],
  ADVOCATE: [40, 180],
  LOST: [45, 200],
  CHURNED: [60, 220],
};
const TIER_TOUCH_FACTOR: Readonly<Record<Tier, number>> = {
  STRATEGIC: 3.5,
  ENTERPRISE: 2,
  MIDMARKET: 1.1,
  SMB: 0.6,
};
const MIN_TOUCHPOINTS = 4;
const MIN_TOUCHPOINTS_ALL_KINDS = EVERY_KIND_TOUCHES + 12;
/** Rejects options the generator cannot honour, naming the option and the rule. */
export function checkDemoOptions(options: DemoOptions): string[] {
  const problems: string[] = [];
  const { accounts, touchpoints } = options;
  if (
    !Number.isInteger(accounts) ||
    accounts < DEMO_LIMITS.minAccounts ||
    accounts > DEMO_LIMITS.maxAccounts
  ) {
    problems.push(
      `accounts must be a whole number from ${DEMO_LIMITS.minAccounts} to ${DEMO_LIMITS.maxAccounts}`,
    );
  }
  const minimum = minimumTouchpoints(Math.max(accounts, DEMO_LIMITS.minAccounts));
  if (!Number.isInteger(touchpoints) || touchpoints < minimum || touchpoints > DEMO_LIMITS.maxTouchpoints) {
    problems.push(
      `touchpoints must be a whole number from ${minimum} (for ${accounts} accounts) to ${DEMO_LIMITS.maxTouchpoints}`,
    );
  }
  if (Number.isNaN(options.asOf.getTime())) problems.push('asOf must be a valid instant');
  const prefix = options.idPrefix ?? 'demo';
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,100}$/.test(prefix)) {
    problems.push(
      'idPrefix must start with a letter or digit and use only letters, digits, . _ : - (≤ 101 chars)',
    );
  }
  return problems;
}

/** The fewest touchpoints a portfolio of `accounts` can have: a few each, more for the all-kinds account. */
export function minimumTouchpoints(accounts: number): number {
  return (accounts - 1) * MIN_TOUCHPOINTS + MIN_TOUCHPOINTS_ALL_KINDS;
}

/** The account id for an index: `demo-0001` for the first, growing past four digits as needed. */
export function accountIdOf(prefix: string, index: number): string {
  return `${prefix}-${String(index + 1).padStart(4, '0')}`;
}

/** Every account's outline (no touchpoints or commitments yet). */
export function outlinePortfolio(options: DemoOptions): DemoPortfolio {
  const problems = checkDemoOptions(options);
  if (problems.length > 0) throw new Error(`Invalid demo options: ${problems.join('; ')}`);
  const { seed } = options;
  const idPrefix = options.idPrefix ?? 'demo';
  const asOf = options.asOf.getTime();
  const people = peopleOf(seed, Math.min(1_600, Math.max(3, Math.ceil(options.accounts / 25)) + 10));
  const owners = people.slice(10).map((person) => `am-${person}`);
  const team: DemoTeam = {
    support: people.slice(0, 6).map((person) => `support-${person}`),
    engineers: people.slice(6, 10).map((person) => `se-${person}`),
  };
  const names = companyNames(seed);

  const drafts = Array.from({ length: options.accounts }, (_, index) =>
    draftAccount(seed, index, asOf, idPrefix, names(index).name, owners),
  );
  const counts = allocateTouchpoints(drafts, options.touchpoints);
  return {
    seed,
    asOf: iso(asOf),
    idPrefix,
    owners,
    team,
    accounts: drafts.map(({ outline }, i) => ({ ...outline, touchpointCount: counts[i] })),
  };
}

/** Everything to send for one account: its outline, touchpoints and commitments. */
export function planAccount(portfolio: DemoPortfolio, index: number): AccountPlan {
  const outline = portfolio.accounts[index];
  return { ...outline, ...planActivity(portfolio, outline) };
}

/** The whole plan at once: for tests and small portfolios (large ones go account by account). */
export function planPortfolio(options: DemoOptions): { portfolio: DemoPortfolio; accounts: AccountPlan[] } {
  const portfolio = outlinePortfolio(options);
  return { portfolio, accounts: portfolio.accounts.map((_, index) => planAccount(portfolio, index)) };
}

// ---------------------------------------------------------------------------------------------
// Outlines

interface Draft {
  readonly outline: Omit<AccountOutline, 'touchpointCount'>;
  readonly weight: number;
  readonly minimum: number;
}

function draftAccount(
  seed: string,
  index: number,
  asOf: number,
  idPrefix: string,
  name: string,
  owners: readonly string[],
): Draft {
  const r = randomFor(seed, 'account', index);
  const showcase = SHOWCASE[index];
  const tier: Tier = showcase ? TIERS[index % TIERS.length] : r.weighted(TIER_WEIGHTS);
  const { final, journey } = showcase ?? randomStory(r);
  const path = journeyPath(journey, final, r);
  const agreedCadence = !showcase && r.chance(0.15) ? r.pick([7, 10, 21, 30, 60, 120]) : undefined;
  const cadenceDays = agreedCadence ?? DEFAULT_CADENCE_DAYS[tier];
  const silent = showcase ? showcase.silent : !isExited(final) && r.chance(SILENT_SHARE);
  const mood: Mood =
    index === EVERY_KIND_INDEX
      ? 'STEADY'
      : silent || final === 'CHURNED'
        ? 'AT_RISK'
        : r.weighted<Mood>({ THRIVING: 30, STEADY: 50, AT_RISK: 20 });

  // Silence needs a long enough final stay with the last contact well before it; the all-kinds
  // account needs room for commitments made two months back.
  const minFinalDays = silent ? 2.6 * cadenceDays + 5 : 1;
  const minTotalDays = index === EVERY_KIND_INDEX ? 130 : 0;
  const dwell = dwellDays(r, path, minFinalDays, minTotalDays);

  const totalDays = dwell.reduce((sum, days) => sum + days, 0);
  const openedAt = roundToSecond(asOf - totalDays * DAY_MS);
  const id = accountIdOf(idPrefix, index);
  const stageChanges: StageChangeItem[] = [];
  let at = openedAt;
  for (let k = 1; k < path.length; k++) {
    at = roundToSecond(at + dwell[k - 1] * DAY_MS);
    stageChanges.push({ to: path[k], occurredAt: iso(at), ...transitionReason(path[k - 1], path[k], r) });
  }
  const quietSince = silent
    ? iso(roundToSecond(asOf - r.between(1.3, 2.5) * cadenceDays * DAY_MS))
    : undefined;

  const weight =
    TIER_TOUCH_FACTOR[tier] * path.reduce((sum, stage, k) => sum + TOUCH_DENSITY[stage] * dwell[k], 0);
  return {
    weight,
    minimum: index === EVERY_KIND_INDEX ? MIN_TOUCHPOINTS_ALL_KINDS : MIN_TOUCHPOINTS,
    outline: {
      index,
      open: {
        id,
        name,
        tier,
        ownerId: r.pick(owners),
        stage: path[0],
        openedAt: iso(openedAt),
        ...(agreedCadence ? { cadenceDays: agreedCadence } : {}),
      },
      stageChanges,
      journey,
      mood,
      cadenceDays,
      silent,
      ...(quietSince ? { quietSince } : {}),
      everyKind: index === EVERY_KIND_INDEX,
    },
  };
}

function randomStory(r: Random): { final: LifecycleStage; journey: JourneyKind } {
  const final = r.weighted(FINAL_STAGE_WEIGHTS);
  const roll = r.next();
  if (SECOND_CHANCE_FINALS.includes(final) && roll < 0.05) return { final, journey: 'WIN_BACK' };
  if (SECOND_CHANCE_FINALS.includes(final) && roll < 0.1) return { final, journey: 'RE_ENGAGED' };
  if (IMPORTED_FINALS.includes(final) && roll > 0.9) return { final, journey: 'IMPORTED' };
  return { final, journey: 'NEW_BUSINESS' };
}

/** Days in each stage of the path (the last one: so far), fitting in the two-year history. */
function dwellDays(r: Random, path: readonly LifecycleStage[], minFinal: number, minTotal: number): number[] {
  const stretch = r.between(0.6, 2);
  const days = path.map((stage) => r.between(...DWELL_DAYS[stage]) * stretch);
  const last = days.length - 1;
  days[last] = Math.max(days[last], minFinal);
  const earlier = days.slice(0, last).reduce((sum, d) => sum + d, 0);
  if (earlier + days[last] < minTotal) days[last] = minTotal - earlier;
  // The longest histories start somewhere in the weeks before the two years, not all on one
  // day, with a margin for the half-day floor below.
  const room = DEMO_LIMITS.historyDays - r.between(20, 60) - days[last];
  if (earlier > room) {
    const shrink = room / earlier;
    for (let k = 0; k < last; k++) days[k] = Math.max(0.5, days[k] * shrink);
  }
  return days;
}

/** Exactly `total` touchpoints: each account's minimum, the rest by weight (largest remainder). */
function allocateTouchpoints(drafts: readonly Draft[], total: number): number[] {
  const counts = drafts.map((d) => d.minimum);
  const left = total - counts.reduce((sum, n) => sum + n, 0);
  const weightSum = drafts.reduce((sum, d) => sum + d.weight, 0);
  const shares = drafts.map((d) => (left * d.weight) / weightSum);
  let given = 0;
  shares.forEach((share, i) => {
    counts[i] += Math.floor(share);
    given += Math.floor(share);
  });
  const byRemainder = shares
    .map((share, i) => ({ i, rest: share - Math.floor(share) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; k < left - given; k++) counts[byRemainder[k].i]++;
  return counts;
}
