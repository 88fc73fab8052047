import {
  canTransition,
  CHANNELS,
  DAY_MS,
  DIRECTIONS,
  isExited,
  isQualifyingTouch,
  LIFECYCLE_STAGES,
  LIMITS,
  PILLARS,
  SENTIMENTS,
  TIERS,
  type LifecycleStage,
} from '#lifecycle';

import {
  checkDemoOptions,
  COMMITMENT_OUTCOMES,
  minimumTouchpoints,
  outlinePortfolio,
  planAccount,
  planPortfolio,
  type AccountPlan,
  type DemoOptions,
} from './demo-portfolio.js';

const AS_OF = new Date('2026-05-01T00:00:00Z');
const asOf = AS_OF.getTime();
const FULL: DemoOptions = { seed: 'spec', accounts: 300, touchpoints: 30_000, asOf: AS_OF };
const SMALLEST: DemoOptions = {
  seed: 'tiny',
  accounts: 12,
  touchpoints: minimumTouchpoints(12),
  asOf: AS_OF,
};

const full = planPortfolio(FULL);
const smallest = planPortfolio(SMALLEST);
const sizes = [
  ['300 accounts / 30,000 touchpoints', full.accounts],
  ['the smallest portfolio (12 accounts, fewest touchpoints)', smallest.accounts],
] as const;

const finalStage = (a: AccountPlan): LifecycleStage => a.stageChanges.at(-1)?.to ?? a.open.stage;
const ms = (iso: string) => Date.parse(iso);
/** The stage the account was in at `at`, from the plan. */
function stageAt(a: AccountPlan, at: number): LifecycleStage {
  let stage = a.open.stage;
  for (const change of a.stageChanges) if (ms(change.occurredAt) <= at) stage = change.to;
  return stage;
}
function lastQualifyingTouch(a: AccountPlan): number | undefined {
  const times = a.touchpoints.filter(isQualifyingTouch).map((t) => ms(t.occurredAt));
  return times.length ? Math.max(...times) : undefined;
}

describe('demo portfolio plan', () => {
  it('has exactly the accounts and touchpoints asked for, with unique valid ids', () => {
    for (const [options, { accounts }] of [
      [FULL, full],
      [SMALLEST, smallest],
    ] as const) {
      expect(accounts).toHaveLength(options.accounts);
      const touchpoints = accounts.flatMap((a) => a.touchpoints);
      expect(touchpoints).toHaveLength(options.touchpoints);
      expect(accounts.reduce((sum, a) => sum + a.touchpointCount, 0)).toBe(options.touchpoints);

      const accountIds = accounts.map((a) => a.open.id);
      expect(new Set(accountIds).size).toBe(accountIds.length);
      for (const id of accountIds) expect(id).toMatch(LIMITS.accountIdPattern);
      expect(accountIds.slice(0, 2)).toEqual(['demo-0001', 'demo-0002']);

      const itemIds = [
        ...touchpoints.map((t) => t.touchpointId),
        ...accounts.flatMap((a) => a.commitments.map((c) => c.item.commitmentId)),
      ];
      expect(new Set(itemIds).size).toBe(itemIds.length);
      for (const id of itemIds) expect(id.length).toBeLessThanOrEqual(LIMITS.itemIdMaxLength);

      const names = accounts.map((a) => a.open.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it.each(sizes)('covers every tier, stage, channel, direction, pillar and sentiment: %s', (_, accounts) => {
    const touchpoints = accounts.flatMap((a) => a.touchpoints);
    expect(new Set(accounts.map((a) => a.open.tier))).toEqual(new Set(TIERS));
    expect(new Set(accounts.map(finalStage))).toEqual(new Set(LIFECYCLE_STAGES));
    expect(new Set(touchpoints.map((t) => t.channel))).toEqual(new Set(CHANNELS));
    expect(new Set(touchpoints.map((t) => t.direction))).toEqual(new Set(DIRECTIONS));
    expect(new Set(touchpoints.map((t) => t.pillar))).toEqual(new Set(PILLARS));
    expect(new Set(touchpoints.map((t) => t.sentiment).filter(Boolean))).toEqual(new Set(SENTIMENTS));
    expect(touchpoints.some((t) => t.sentiment === undefined)).toBe(true);
    expect(touchpoints.some((t) => t.momentOfTruth && t.sentiment === 'NEGATIVE')).toBe(true);
  });

  it('spreads a full-size portfolio over every tier and stage in realistic numbers', () => {
    const byTier = countBy(full.accounts.map((a) => a.open.tier));
    expect(byTier.SMB).toBeGreaterThan(byTier.STRATEGIC);
    for (const tier of TIERS) expect(byTier[tier]).toBeGreaterThanOrEqual(10);
    const byStage = countBy(full.accounts.map(finalStage));
    for (const stage of LIFECYCLE_STAGES) expect(byStage[stage]).toBeGreaterThanOrEqual(5);
    const touchpoints = full.accounts.flatMap((a) => a.touchpoints);
    const moments = touchpoints.filter((t) => t.momentOfTruth);
    expect(moments.length).toBeGreaterThan(100);
    expect(moments.length).toBeLessThan(touchpoints.length * 0.05);
  });

  it.each(sizes)('walks every account through allowed transitions in time order: %s', (_, accounts) => {
    for (const a of accounts) {
      expect(isExited(a.open.stage)).toBe(false);
      let from = a.open.stage;
      let previous = ms(a.open.openedAt);
      for (const change of a.stageChanges) {
        expect(canTransition(from, change.to)).toBe(true);
        expect(ms(change.occurredAt)).toBeGreaterThan(previous);
        from = change.to;
        previous = ms(change.occurredAt);
      }
      expect(previous).toBeLessThan(asOf);
      expect(ms(a.open.openedAt)).toBeGreaterThanOrEqual(asOf - 730 * DAY_MS);
    }
  });

  it.each(sizes)(
    'explains every exit, teaches from most lost deals, and wins some back: %s',
    (_, accounts) => {
      const changes = accounts.flatMap((a) => a.stageChanges.map((change, k) => ({ change, k, a })));
      const lost = changes.filter(({ change }) => change.to === 'LOST');
      const churned = changes.filter(({ change }) => change.to === 'CHURNED');
      expect(lost.length).toBeGreaterThan(0);
      expect(churned.length).toBeGreaterThan(0);
      for (const { change } of [...lost, ...churned]) expect(change.reason?.length).toBeGreaterThan(0);
      expect(lost.filter(({ change }) => change.lessons).length).toBeGreaterThan(0);
      for (const { change } of changes) if (change.lessons) expect(change.to).toBe('LOST');

      const after = (stage: LifecycleStage) =>
        changes.filter(
          ({ change, k, a }) => change.to === 'PROSPECT' && (a.stageChanges[k - 1]?.to ?? null) === stage,
        );
      expect(after('CHURNED').length).toBeGreaterThan(0);
      expect(after('LOST').length).toBeGreaterThan(0);
      expect(accounts.some((a) => a.open.stage === 'ACTIVE')).toBe(true);
    },
  );

  it('gives a full-size portfolio many lost deals with lessons, churns and win-backs', () => {
    const changes = full.accounts.flatMap((a) => a.stageChanges);
    expect(changes.filter((c) => c.to === 'LOST' && c.lessons).length).toBeGreaterThanOrEqual(20);
    expect(changes.filter((c) => c.to === 'CHURNED').length).toBeGreaterThanOrEqual(20);
    expect(full.accounts.filter((a) => a.journey === 'WIN_BACK').length).toBeGreaterThanOrEqual(3);
    expect(full.accounts.filter((a) => a.journey === 'RE_ENGAGED').length).toBeGreaterThanOrEqual(3);
  });

  it.each(sizes)("keeps touchpoints in business-time order within each account's life: %s", (_, accounts) => {
    const problems: string[] = [];
    for (const a of accounts) {
      let previous = ms(a.open.openedAt);
      for (const t of a.touchpoints) {
        const at = ms(t.occurredAt);
        const broken = [
          t.accountId !== a.open.id && 'another account',
          at < previous && 'out of order or before opening',
          at > asOf && 'after asOf',
          (t.summary.length === 0 || t.summary.length > LIMITS.summaryMaxLength) && 'summary length',
          /\{\w+\}/.test(t.summary) && 'unfilled placeholder',
          t.participants.length > LIMITS.participantsMaxCount && 'too many participants',
          t.source.length === 0 && 'no source',
        ].filter(Boolean);
        if (broken.length > 0) problems.push(`${t.touchpointId}: ${broken.join(', ')}`);
        previous = at;
      }
    }
    expect(problems).toEqual([]);
  });

  it('spans about two years of history', () => {
    const times = full.accounts.flatMap((a) => a.touchpoints.map((t) => ms(t.occurredAt)));
    expect(Math.min(...times)).toBeLessThan(asOf - 600 * DAY_MS);
    expect(Math.max(...times)).toBeGreaterThan(asOf - DAY_MS);
  });

  it.each(sizes)(
    'makes the silent accounts silent at asOf and keeps the others in touch: %s',
    (_, accounts) => {
      const silent = accounts.filter((a) => a.silent);
      expect(silent.length).toBeGreaterThan(0);
      for (const a of silent) {
        expect(isExited(finalStage(a))).toBe(false);
        const clock = lastQualifyingTouch(a) ?? ms(a.open.openedAt);
        expect(asOf - clock).toBeGreaterThan(a.cadenceDays * DAY_MS);
        // Still a living account: the product is used, the team writes notes.
        expect(a.touchpoints.length).toBeGreaterThan(0);
      }
      for (const a of accounts.filter((x) => !x.silent && !isExited(finalStage(x)))) {
        const last = lastQualifyingTouch(a);
        expect(last).toBeDefined();
        // Not silent at asOf, nor a day later (the default asOf is the start of the current day).
        expect(asOf + DAY_MS - (last as number)).toBeLessThanOrEqual(a.cadenceDays * DAY_MS);
      }
    },
  );

  it('makes a tenth or so of a full-size portfolio silent, across tiers', () => {
    const silent = full.accounts.filter((a) => a.silent);
    expect(silent.length).toBeGreaterThanOrEqual(15);
    expect(silent.length).toBeLessThanOrEqual(60);
    expect(new Set(silent.map((a) => a.open.tier)).size).toBeGreaterThanOrEqual(3);
  });

  it('uses the tier cadence unless one was agreed', () => {
    const defaults = { STRATEGIC: 14, ENTERPRISE: 30, MIDMARKET: 45, SMB: 90 };
    for (const a of full.accounts) {
      expect(a.cadenceDays).toBe(a.open.cadenceDays ?? defaults[a.open.tier]);
      if (a.open.cadenceDays !== undefined) expect(a.open.cadenceDays).toBeGreaterThanOrEqual(1);
    }
    expect(full.accounts.some((a) => a.open.cadenceDays !== undefined)).toBe(true);
  });

  it.each(sizes)('has every commitment outcome, each timed so it can happen: %s', (_, accounts) => {
    const outcomes = new Set<string>();
    for (const a of accounts) {
      const exitedNow = isExited(finalStage(a));
      for (const { item, outcome, update } of a.commitments) {
        outcomes.add(outcome);
        const madeAt = ms(item.madeAt);
        const dueAt = ms(item.dueAt);
        expect(item.accountId).toBe(a.open.id);
        expect(dueAt).toBeGreaterThan(madeAt);
        expect(madeAt).toBeGreaterThanOrEqual(ms(a.open.openedAt));
        expect(madeAt).toBeLessThanOrEqual(asOf);
        // None can be made on an exited account.
        expect(isExited(stageAt(a, madeAt))).toBe(false);
        if (item.touchpointId) {
          const touch = a.touchpoints.find((t) => t.touchpointId === item.touchpointId);
          expect(touch?.occurredAt).toBe(item.madeAt);
        }
        if (exitedNow) expect(['ON_TIME', 'LATE', 'CANCELLED']).toContain(outcome);
        switch (outcome) {
          case 'ON_TIME':
          case 'LATE': {
            expect(update?.kind).toBe('fulfil');
            const fulfilledAt = ms((update as { fulfilledAt: string }).fulfilledAt);
            expect(fulfilledAt).toBeGreaterThanOrEqual(madeAt);
            expect(fulfilledAt).toBeLessThanOrEqual(asOf);
            if (outcome === 'ON_TIME') expect(fulfilledAt).toBeLessThanOrEqual(dueAt);
            else expect(fulfilledAt).toBeGreaterThan(dueAt);
            break;
          }
          case 'MISSED':
            expect(update).toBeUndefined();
            expect(dueAt).toBeLessThan(asOf);
            break;
          case 'OPEN':
            expect(update).toBeUndefined();
            expect(dueAt).toBeGreaterThan(asOf);
            break;
          case 'RENEGOTIATED': {
            expect(update?.kind).toBe('renegotiate');
            const renegotiation = update as { newDueAt: string; reason: string };
            // After asOf by more than asOf may lag behind the real clock.
            expect(ms(renegotiation.newDueAt)).toBeGreaterThanOrEqual(asOf + 7 * DAY_MS);
            expect(renegotiation.reason.length).toBeGreaterThan(0);
            break;
          }
          case 'CANCELLED':
            expect(update?.kind).toBe('cancel');
            expect((update as { reason: string }).reason.length).toBeGreaterThan(0);
            break;
        }
      }
    }
    expect(outcomes).toEqual(new Set(COMMITMENT_OUTCOMES));
  });

  it('has one commitment due within 48 hours of asOf, for the "due soon" alert', () => {
    const dueSoon = full.accounts
      .flatMap((a) => a.commitments)
      .filter((c) => c.outcome === 'OPEN' && ms(c.item.dueAt) - asOf <= 2 * DAY_MS);
    expect(dueSoon.length).toBeGreaterThan(0);
  });

  it('is the same plan for the same options, and another for another seed', () => {
    expect(planPortfolio(FULL)).toEqual(full);
    // Each account depends only on the seed and its index, whatever the order it is made in.
    const outline = outlinePortfolio(FULL);
    expect(planAccount(outline, 123)).toEqual(full.accounts[123]);

    const other = planPortfolio({ ...FULL, seed: 'another' });
    expect(other.accounts.map((a) => a.open.name)).not.toEqual(full.accounts.map((a) => a.open.name));
    expect(other.accounts[50].touchpoints).not.toEqual(full.accounts[50].touchpoints);
    // The ids stay put, so the same account is the same id whatever the seed.
    expect(other.accounts.map((a) => a.open.id)).toEqual(full.accounts.map((a) => a.open.id));
  });

  it('uses the id prefix and grows ids past four digits', () => {
    const plan = outlinePortfolio({ ...SMALLEST, idPrefix: 'acme.demo', accounts: 12 });
    expect(plan.accounts[11].open.id).toBe('acme.demo-0012');
    const large = outlinePortfolio({ seed: 'x', accounts: 10_001, touchpoints: 60_000, asOf: AS_OF });
    expect(large.accounts[9_999].open.id).toBe('demo-10000');
    expect(large.accounts[10_000].open.id).toBe('demo-10001');
  });

  it('refuses options it cannot honour, naming each', () => {
    expect(checkDemoOptions(FULL)).toEqual([]);
    const problems = checkDemoOptions({
      seed: 's',
      accounts: 3,
      touchpoints: 10,
      asOf: new Date('nope'),
      idPrefix: '-bad',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^accounts must be a whole number from 12/),
      expect.stringMatching(/^touchpoints must be a whole number from \d+ \(for 3 accounts\)/),
      'asOf must be a valid instant',
      expect.stringMatching(/^idPrefix must start with a letter or digit/),
    ]);
    expect(() => outlinePortfolio({ ...FULL, touchpoints: 299 })).toThrow(/touchpoints must be/);
  });
});

function countBy<T extends string>(values: readonly T[]): Record<T, number> {
  const counts = {} as Record<T, number>;
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
