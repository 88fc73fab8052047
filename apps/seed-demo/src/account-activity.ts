// An account's activity: its touchpoints over its life and the commitments made in them, with
// what became of each.
import {
  DAY_MS,
  isExited,
  isQualifyingTouch,
  phaseOf,
  type Channel,
  type Direction,
  type LifecycleStage,
  type Pillar,
  type Sentiment,
  type Tier,
} from '#lifecycle';

import { companyNames } from './company-names.js';
import {
  COMMITMENT_OUTCOMES,
  HOUR_MS,
  iso,
  MINUTE_MS,
  roundToSecond,
  type AccountOutline,
  type CommitmentItem,
  type CommitmentOutcome,
  type CommitmentPlan,
  type DemoPortfolio,
  type TouchpointItem,
} from './demo-plan.js';
import { randomFor, type Random } from './random.js';
import {
  chooseTouchKind,
  describeTouch,
  fillTitle,
  recoveryTouchKind,
  stageTouchKind,
  type Contact,
  type Mood,
  type TouchConstraint,
  type TouchContext,
  type TouchKind,
  type TouchTheme,
} from './touch-content.js';
import {
  CANCEL_REASONS,
  COMMITMENT_TITLES,
  CONTACT_ROLES,
  FIRST_NAMES,
  LAST_NAMES,
  RENEGOTIATION_REASONS,
} from './word-lists.js';

/** Touches per day in a stage (relative): busy around deals and onboarding, rare after exit. */
export const TOUCH_DENSITY: Readonly<Record<LifecycleStage, number>> = {
  PROSPECT: 0.6,
  DISCOVERY: 1.3,
  PROPOSAL: 1.5,
  ONBOARDING: 1.8,
  ACTIVE: 1,
  RENEWAL: 1.6,
  ADVOCATE: 1.1,
  LOST: 0.04,
  CHURNED: 0.04,
};
const COMMITMENTS_PER_CUSTOMER: Readonly<Record<Tier, readonly [number, number]>> = {
  STRATEGIC: [5, 9],
  ENTERPRISE: [3, 6],
  MIDMARKET: [2, 4],
  SMB: [1, 3],
};

/** Every touch the all-kinds account must have; the rest of its touches are random. */
const ALL_KINDS_TOUCHES: readonly TouchKind[] = [
  kind('EMAIL', 'OUTBOUND', 'DISCOVERY', 'NEUTRAL'),
  kind('CALL', 'INBOUND', 'SERVICE', 'NEGATIVE', true),
  kind('VIDEO_CALL', 'OUTBOUND', 'SERVICE', 'POSITIVE'),
  kind('MEETING', 'OUTBOUND', 'ENGAGEMENT', 'POSITIVE'),
  kind('IN_PERSON', 'OUTBOUND', 'ENGAGEMENT', 'POSITIVE'),
  kind('CHAT', 'INBOUND', 'SERVICE', 'NEUTRAL'),
  kind('SUPPORT_TICKET', 'INBOUND', 'SERVICE', 'NEGATIVE', true),
  kind('SURVEY', 'INBOUND', 'ENGAGEMENT', 'POSITIVE'),
  kind('EVENT', 'OUTBOUND', 'ENGAGEMENT', null),
  kind('PRODUCT_USAGE', 'INBOUND', 'DISCOVERY', null),
  kind('SOCIAL', 'INBOUND', 'ENGAGEMENT', 'NEUTRAL'),
  kind('INTERNAL_NOTE', 'INTERNAL', 'ENGAGEMENT', null),
];
/** How many touches the all-kinds account needs for its fixed kinds. */
export const EVERY_KIND_TOUCHES = ALL_KINDS_TOUCHES.length;

function kind(
  channel: Channel,
  direction: Direction,
  pillar: Pillar,
  sentiment: Sentiment | null,
  momentOfTruth = false,
): TouchKind {
  return { channel, direction, pillar, sentiment, momentOfTruth };
}

/** The touchpoints and commitments of one account, from its outline. */
export function planActivity(
  portfolio: DemoPortfolio,
  outline: AccountOutline,
): { touchpoints: TouchpointItem[]; commitments: CommitmentPlan[] } {
  const r = randomFor(portfolio.seed, 'activity', outline.index);
  const asOf = Date.parse(portfolio.asOf);
  const context = touchContextOf(portfolio, outline);
  const visits = visitsOf(outline, asOf);
  const touchpoints = planTouchpoints(r, outline, visits, asOf, context);
  const commitments = planCommitments(r, outline, visits, touchpoints, asOf, context);
  return { touchpoints, commitments };
}

interface Visit {
  readonly stage: LifecycleStage;
  readonly from: number;
  readonly to: number;
}

function visitsOf(outline: AccountOutline, asOf: number): Visit[] {
  const starts = [
    { stage: outline.open.stage, at: Date.parse(outline.open.openedAt) },
    ...outline.stageChanges.map((change) => ({ stage: change.to, at: Date.parse(change.occurredAt) })),
  ];
  return starts.map((start, k) => ({
    stage: start.stage,
    from: start.at,
    to: k + 1 < starts.length ? starts[k + 1].at : asOf,
  }));
}

function stageAt(visits: readonly Visit[], at: number): LifecycleStage {
  let stage = visits[0].stage;
  for (const visit of visits) {
    if (visit.from > at) break;
    stage = visit.stage;
  }
  return stage;
}

function touchContextOf(portfolio: DemoPortfolio, outline: AccountOutline): TouchContext {
  const r = randomFor(portfolio.seed, 'contacts', outline.index);
  const company = companyNames(portfolio.seed)(outline.index);
  const contacts: Contact[] = [];
  for (let n = r.int(2, 5); contacts.length < n;) {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    const email = `${first}.${last}@${company.domain}`.toLowerCase();
    if (contacts.some((c) => c.email === email)) continue;
    contacts.push({ name: `${first} ${last}`, role: r.pick(CONTACT_ROLES), email });
  }
  return { industry: company.industry, contacts, ownerId: outline.open.ownerId, team: portfolio.team };
}

interface Slot {
  at: number;
  theme: TouchTheme;
  /** A kind fixed in advance (all-kinds account). */
  kind?: TouchKind;
  constraint: TouchConstraint;
}

function planTouchpoints(
  r: Random,
  outline: AccountOutline,
  visits: readonly Visit[],
  asOf: number,
  context: TouchContext,
): TouchpointItem[] {
  const openedAt = visits[0].from;
  const finalStage = visits[visits.length - 1].stage;
  const quietSince = outline.quietSince ? Date.parse(outline.quietSince) : undefined;
  const keepInTouch = !isExited(finalStage) && !outline.silent;
  let remaining = outline.touchpointCount;
  const slots: Slot[] = [];

  // A recent qualifying touch keeps the account out of silence at asOf (and for a day after it).
  if (keepInTouch && remaining > 0) {
    const lastChange = visits[visits.length - 1].from;
    const from = Math.max(lastChange + MINUTE_MS, asOf - 0.4 * outline.cadenceDays * DAY_MS);
    slots.push({
      at: r.between(from, asOf - 5 * MINUTE_MS),
      theme: { kind: 'REGULAR' },
      constraint: 'QUALIFYING',
    });
    remaining--;
  }
  // The touch that goes with each stage change, as far as the count allows.
  for (let k = 1; k < visits.length && remaining > 0; k++, remaining--) {
    const { stage, from } = visits[k];
    const exit = isExited(stage);
    const at = exit
      ? Math.max(visits[k - 1].from + MINUTE_MS, from - r.between(HOUR_MS, DAY_MS))
      : Math.min(visits[k].to - MINUTE_MS, asOf - MINUTE_MS, from + r.between(5 * MINUTE_MS, 4 * HOUR_MS));
    slots.push({ at, theme: { kind: 'STAGE', stage }, kind: stageTouchKind(stage), constraint: 'ANY' });
  }
  const free: Slot[] = [];
  for (; remaining > 0; remaining--) {
    const at = sampleTouchTime(r, visits, openedAt, asOf);
    const quiet = quietSince !== undefined && at > quietSince;
    free.push({ at, theme: { kind: 'REGULAR' }, constraint: quiet ? 'NON_QUALIFYING' : 'ANY' });
  }
  free.sort((a, b) => a.at - b.at);
  if (outline.everyKind) {
    free.slice(0, ALL_KINDS_TOUCHES.length).forEach((slot, i) => (slot.kind = ALL_KINDS_TOUCHES[i]));
  }
  slots.push(...free);
  slots.forEach((slot) => (slot.at = roundToSecond(slot.at)));
  slots.sort((a, b) => a.at - b.at);

  let recoveryPending = false;
  return slots.map((slot, k) => {
    const stage = stageAt(visits, slot.at);
    let touchKind = slot.kind ?? chooseTouchKind(r, stage, outline.mood, slot.constraint);
    let theme = slot.theme;
    // A bad moment of truth is usually followed up and put right by the next real contact.
    if (!slot.kind && recoveryPending && slot.constraint !== 'NON_QUALIFYING' && theme.kind === 'REGULAR') {
      touchKind = recoveryTouchKind(r);
      theme = { kind: 'RECOVERY' };
      recoveryPending = false;
    }
    if (touchKind.momentOfTruth && touchKind.sentiment === 'NEGATIVE') recoveryPending = r.chance(0.75);
    const text = describeTouch(r, touchKind, theme, context);
    return {
      touchpointId: `${outline.open.id}-tp-${String(k + 1).padStart(5, '0')}`,
      accountId: outline.open.id,
      occurredAt: iso(slot.at),
      channel: touchKind.channel,
      direction: touchKind.direction,
      pillar: touchKind.pillar,
      ...(touchKind.sentiment ? { sentiment: touchKind.sentiment } : {}),
      momentOfTruth: touchKind.momentOfTruth,
      ...text,
    };
  });
}

/** A business time drawn from the account's life, weighted by how busy each stage is. */
function sampleTouchTime(r: Random, visits: readonly Visit[], openedAt: number, asOf: number): number {
  const weights = visits.map((v) => TOUCH_DENSITY[v.stage] * (v.to - v.from));
  const total = weights.reduce((sum, w) => sum + w, 0);
  let roll = r.next() * total;
  let visit = visits[visits.length - 1];
  for (let k = 0; k < visits.length; k++) {
    roll -= weights[k];
    if (roll < 0) {
      visit = visits[k];
      break;
    }
  }
  const at = r.between(visit.from, visit.to);
  return Math.min(asOf - MINUTE_MS, Math.max(openedAt + MINUTE_MS, at));
}

function planCommitments(
  r: Random,
  outline: AccountOutline,
  visits: readonly Visit[],
  touchpoints: readonly TouchpointItem[],
  asOf: number,
  context: TouchContext,
): CommitmentPlan[] {
  const finalStage = visits[visits.length - 1].stage;
  const exitedNow = isExited(finalStage);
  // Promises are made in real contacts while the account is still in play.
  const occasions = touchpoints.filter((t) => {
    const at = Date.parse(t.occurredAt);
    return isQualifyingTouch(t) && !isExited(stageAt(visits, at)) && at <= asOf - 2 * HOUR_MS;
  });
  const becameCustomer = visits.some((v) => phaseOf(v.stage) !== 'PRE_SALES' && !isExited(v.stage));
  const [low, high] = becameCustomer ? COMMITMENTS_PER_CUSTOMER[outline.open.tier] : [0, 2];
  const count = occasions.length === 0 ? 0 : r.int(low, high);

  const plans: CommitmentPlan[] = [];
  const idOf = () => `${outline.open.id}-cm-${String(plans.length + 1).padStart(3, '0')}`;
  if (outline.everyKind) {
    for (const outcome of COMMITMENT_OUTCOMES)
      plans.push(everyOutcomeCommitment(r, idOf(), outcome, outline, asOf, context));
  }
  for (let n = 0; n < count; n++) {
    const occasion = r.pick(occasions);
    const madeAt = Date.parse(occasion.occurredAt);
    const dueAt = roundToSecond(madeAt + r.int(2, 30) * DAY_MS + r.int(0, 8) * HOUR_MS);
    const phase = phaseOf(stageAt(visits, madeAt));
    const titles =
      COMMITMENT_TITLES[
        phase === 'ONBOARDING' ? 'ONBOARDING' : phase === 'RETENTION' ? 'RETENTION' : 'PRE_SALES'
      ];
    const contact = context.contacts.find((c) => c.email === occasion.participants[0]);
    const item: CommitmentItem = {
      commitmentId: idOf(),
      accountId: outline.open.id,
      title: fillTitle(r.pick(titles), r, context),
      ...(contact
        ? {
            description: `Promised to ${contact.name} (${contact.role}) on a ${channelWords(occasion.channel)}.`,
          }
        : {}),
      ownerId: r.chance(0.7)
        ? outline.open.ownerId
        : r.pick([...context.team.support, ...context.team.engineers]),
      madeAt: occasion.occurredAt,
      dueAt: iso(dueAt),
      touchpointId: occasion.touchpointId,
    };
    plans.push(resolveCommitment(r, item, madeAt, dueAt, asOf, exitedNow, outline.mood));
  }
  return plans;
}

/** What happens to a commitment, given when it was due, whether the account left, and its mood. */
function resolveCommitment(
  r: Random,
  item: CommitmentItem,
  madeAt: number,
  dueAt: number,
  asOf: number,
  exitedNow: boolean,
  mood: Mood,
): CommitmentPlan {
  let outcome: CommitmentOutcome;
  if (exitedNow) {
    // An account that left has nothing pending: what was promised was delivered or dropped.
    outcome = r.weighted<CommitmentOutcome>({ ON_TIME: 55, LATE: 20, CANCELLED: 25 });
  } else if (dueAt > asOf) {
    outcome = r.weighted<CommitmentOutcome>({ OPEN: 65, ON_TIME: 20, RENEGOTIATED: 10, CANCELLED: 5 });
  } else {
    outcome = r.weighted<CommitmentOutcome>(
      mood === 'THRIVING'
        ? { ON_TIME: 80, LATE: 10, MISSED: 2, RENEGOTIATED: 4, CANCELLED: 4 }
        : mood === 'STEADY'
          ? { ON_TIME: 62, LATE: 14, MISSED: 8, RENEGOTIATED: 7, CANCELLED: 9 }
          : { ON_TIME: 40, LATE: 20, MISSED: 20, RENEGOTIATED: 10, CANCELLED: 10 },
    );
    // Open misses and renegotiations are recent business; older ones were settled long ago.
    if (outcome === 'MISSED' && dueAt < asOf - 120 * DAY_MS) outcome = 'LATE';
    if (outcome === 'RENEGOTIATED' && dueAt < asOf - 60 * DAY_MS) outcome = 'ON_TIME';
  }
  // Late needs a day past the due date before asOf; otherwise it can only still be open or missed.
  if (outcome === 'LATE' && dueAt + DAY_MS > asOf - HOUR_MS) outcome = exitedNow ? 'CANCELLED' : 'MISSED';
  return withOutcome(r, item, outcome, madeAt, dueAt, asOf);
}

function withOutcome(
  r: Random,
  item: CommitmentItem,
  outcome: CommitmentOutcome,
  madeAt: number,
  dueAt: number,
  asOf: number,
): CommitmentPlan {
  switch (outcome) {
    case 'ON_TIME': {
      const by = Math.min(dueAt, asOf - HOUR_MS);
      return {
        item,
        outcome,
        update: {
          kind: 'fulfil',
          fulfilledAt: iso(roundToSecond(r.between(madeAt + (by - madeAt) * 0.2, by))),
        },
      };
    }
    case 'LATE': {
      const latest = Math.min(dueAt + 21 * DAY_MS, asOf - HOUR_MS);
      return {
        item,
        outcome,
        update: { kind: 'fulfil', fulfilledAt: iso(roundToSecond(r.between(dueAt + DAY_MS / 2, latest))) },
      };
    }
    case 'RENEGOTIATED':
      // The new date lies beyond asOf by more than --as-of may lag behind the real now, so the
      // service accepts it as "in the future".
      return {
        item,
        outcome,
        update: {
          kind: 'renegotiate',
          newDueAt: iso(roundToSecond(asOf + r.int(7, 45) * DAY_MS + r.int(0, 8) * HOUR_MS)),
          reason: r.pick(RENEGOTIATION_REASONS),
        },
      };
    case 'CANCELLED':
      return { item, outcome, update: { kind: 'cancel', reason: r.pick(CANCEL_REASONS) } };
    case 'MISSED':
    case 'OPEN':
      return { item, outcome };
  }
}

/** The all-kinds account's commitment with the given outcome, timed so that outcome fits. */
function everyOutcomeCommitment(
  r: Random,
  commitmentId: string,
  outcome: CommitmentOutcome,
  outline: AccountOutline,
  asOf: number,
  context: TouchContext,
): CommitmentPlan {
  const daysAgo: Record<CommitmentOutcome, readonly [number, number]> = {
    ON_TIME: [60, -45],
    LATE: [70, -55],
    MISSED: [25, -10],
    RENEGOTIATED: [20, -3],
    CANCELLED: [40, -20],
    // Due a day and a half after asOf: within the 48 hours that make it "due soon".
    OPEN: [6, 1.5],
  };
  const [made, due] = daysAgo[outcome];
  const madeAt = roundToSecond(asOf - made * DAY_MS + r.between(8, 18) * HOUR_MS);
  const dueAt = roundToSecond(asOf + due * DAY_MS + r.between(-4, 4) * HOUR_MS);
  const item: CommitmentItem = {
    commitmentId,
    accountId: outline.open.id,
    title: fillTitle(r.pick(COMMITMENT_TITLES.RETENTION), r, context),
    ownerId: outline.open.ownerId,
    madeAt: iso(madeAt),
    dueAt: iso(dueAt),
  };
  return withOutcome(r, item, outcome, madeAt, dueAt, asOf);
}

function channelWords(channel: Channel): string {
  return channel.toLowerCase().replace('_', ' ');
}
