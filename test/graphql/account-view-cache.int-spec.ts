// The account view's facts and timeline pages kept between requests: served again only while the
// account's view version in the read model is the one they were read at, and only while the health
// window's counts they hold are right for the request's instant.
import { randomUUID } from 'node:crypto';

import type { AlertEvent } from '#alerts';
import type { AllStreamDomainEvent } from '#eventstore';
import { Metrics } from '#metrics';
import { AccountProjection, AlertsProjection, ReadModelDatabase } from '#read-model';

import { ACCOUNT_FACTS, ONE_ACCOUNT_FACTS } from '../../apps/api/src/graphql/loaders/account-facts.js';
import { AccountViewCache } from '../../apps/api/src/graphql/loaders/account-view-cache.js';
import { ReadModelLoaders } from '../../apps/api/src/graphql/loaders/read-model-loaders.js';
import { day, events, recorded } from '../read-model/account-events.js';
import { DATABASE_TARGETS } from '../read-model/databases.js';

const DAY = 86_400_000;
const FIRST_PAGE = { first: 20, after: null, channels: null, pillars: null, from: null, to: null };

/** An alert event as the alerts projection receives it. */
function alertEvent(event: AlertEvent, revision: bigint, commit: bigint): AllStreamDomainEvent {
  return {
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: { correlationId: 'c', causationId: 'c', principal: 'system:test', schemaVersion: 1 },
    streamName: `alert-${event.data.alertId}`,
    revision,
    position: { commit, prepare: commit },
    created: new Date(Date.UTC(2026, 5, 2) + Number(commit)),
  } as unknown as AllStreamDomainEvent;
}

describe.each(DATABASE_TARGETS)('account view cache on $name', (target) => {
  let fresh: Awaited<ReturnType<typeof target.fresh>>;
  let database: ReadModelDatabase;
  const projection = new AccountProjection();
  let commit = 1n;
  const apply = async (list: Parameters<typeof recorded>[0]) => {
    const batch = recorded(list, commit);
    commit += BigInt(list.length) * 100n + 100n;
    await projection.applyBatch(database.db, batch, batch[batch.length - 1].position);
  };
  /** What one request reads of the account: its facts entry and its first timeline page. */
  const view = async (cache: AccountViewCache, id: string, now: Date) => {
    const loaders = new ReadModelLoaders(database, now, cache);
    const facts = await loaders.account(id);
    const row = facts?.row ?? null;
    const page = row ? await loaders.timeline(FIRST_PAGE, () => row.tier).load(id) : null;
    return {
      row,
      page,
      entry: cache.usable(id, now.getTime()),
      window: row ? await loaders.pillarBalance(90, id) : null,
      alerts: facts?.openAlerts ?? null,
    };
  };

  beforeEach(async () => {
    fresh = await target.fresh();
    database = await ReadModelDatabase.open(fresh.config);
    await database.migrate();
  });
  afterEach(async () => {
    await database.close();
    await fresh.drop();
  });

  it('serves what it holds while the version stands, and reads again once an event changes the account', async () => {
    await apply([
      events.opened('acme', day(0)),
      events.touchpoint('acme', 't1', day(1), { pillar: 'SERVICE' }),
      events.touchpoint('acme', 't2', day(2), { pillar: 'DISCOVERY' }),
    ]);
    const metrics = new Metrics({ defaultMetrics: false });
    const cache = new AccountViewCache(1024 * 1024, metrics);
    const now = new Date(day(10));

    const first = await view(cache, 'acme', now);
    expect(first.row?.touchpointCount).toBe(2);
    expect(first.page?.entries.map((entry) => entry.type)).toEqual([
      'AccountOpened',
      'TouchpointRecorded',
      'TouchpointRecorded',
    ]);
    expect(first.entry).toBeDefined();
    expect(first.entry!.timelines.size).toBe(1);

    // Unchanged: the same objects come back, nothing was parsed again.
    const second = await view(cache, 'acme', new Date(Date.parse(day(10)) + 60_000));
    expect(second.entry).toBe(first.entry);
    expect(second.page).toBe(first.page);
    expect(second.row).toBe(first.row);

    await apply([events.touchpoint('acme', 't3', day(3), { pillar: 'ENGAGEMENT' })]);
    const third = await view(cache, 'acme', now);
    expect(third.entry).not.toBe(first.entry);
    expect(third.entry!.version).not.toBe(first.entry!.version);
    expect(third.row?.touchpointCount).toBe(3);
    expect(third.page?.entries).toHaveLength(4);
    expect(third.window).toEqual({ windowDays: 90, discovery: 1, service: 1, engagement: 1 });

    const lookups = await metrics.accountViewCacheLookups.get();
    expect(Object.fromEntries(lookups.values.map((sample) => [sample.labels.result, sample.value]))).toEqual({
      miss: 1,
      hit: 1,
      stale: 1,
    });
  });

  it('reads again when the health window’s counts change with time alone', async () => {
    await apply([
      events.opened('acme', day(0)),
      events.touchpoint('acme', 't1', day(1), { pillar: 'SERVICE' }),
      events.touchpoint('acme', 't2', day(50), { pillar: 'DISCOVERY' }),
    ]);
    const cache = new AccountViewCache(1024 * 1024);
    const early = await view(cache, 'acme', new Date(day(60)));
    expect(early.window).toEqual({ windowDays: 90, discovery: 1, service: 1, engagement: 0 });
    // Until the touch of day 1 leaves the 90-day window (at day 91), the counts hold.
    expect(early.entry!.validUntil).toBe(Date.parse(day(1)) + 90 * DAY);
    const stillEarly = await view(cache, 'acme', new Date(Date.parse(day(91)) - 1));
    expect(stillEarly.entry).toBe(early.entry);

    const later = await view(cache, 'acme', new Date(day(91)));
    expect(later.entry).not.toBe(early.entry);
    expect(later.window).toEqual({ windowDays: 90, discovery: 1, service: 0, engagement: 0 });
    // Nothing changed in the read model: the version is the same, the facts were read again for the instant.
    expect(later.entry!.version).toBe(early.entry!.version);

    // An instant before the one the held facts were read for is not served from them either.
    const before = await view(cache, 'acme', new Date(day(60)));
    expect(before.entry).not.toBe(later.entry);
    expect(before.window).toEqual({ windowDays: 90, discovery: 1, service: 1, engagement: 0 });
  });

  it('counts a touch dated after the request’s instant only from its own instant on', async () => {
    await apply([
      events.opened('acme', day(0)),
      events.touchpoint('acme', 't1', day(5), { pillar: 'SERVICE' }),
      events.touchpoint('acme', 't2', new Date(Date.parse(day(6)) + 120_000).toISOString(), {
        pillar: 'DISCOVERY',
      }),
    ]);
    const cache = new AccountViewCache(1024 * 1024);
    const now = new Date(day(6));
    const early = await view(cache, 'acme', now);
    expect(early.window).toEqual({ windowDays: 90, discovery: 0, service: 1, engagement: 0 });
    expect(early.entry!.validUntil).toBe(Date.parse(day(6)) + 120_000);
    const entered = await view(cache, 'acme', new Date(Date.parse(day(6)) + 120_000));
    expect(entered.entry).not.toBe(early.entry);
    expect(entered.window).toEqual({ windowDays: 90, discovery: 1, service: 1, engagement: 0 });
  });

  it('reads again when an alert of the account is raised or acknowledged, though its health does not move', async () => {
    await apply([events.opened('acme', day(0)), events.touchpoint('acme', 't1', day(1))]);
    const alerts = new AlertsProjection();
    const cache = new AccountViewCache(1024 * 1024);
    const now = new Date(day(2));
    const before = await view(cache, 'acme', now);
    expect(before.alerts).toEqual([]);

    const raised = alertEvent(
      {
        type: 'AlertRaised',
        data: {
          alertId: 'alert-1',
          kind: 'COMMITMENT_DUE_SOON',
          severity: 'LOW',
          accountId: 'acme',
          subject: null,
          title: 'Due soon',
          detail: null,
          cause: 'test',
          occurredAt: day(2),
        },
      },
      0n,
      10_000_000n,
    );
    await alerts.applyBatch(database.db, [raised], raised.position);
    const open = await view(cache, 'acme', now);
    expect(open.entry).not.toBe(before.entry);
    expect(open.alerts?.map((alert) => [alert.id, alert.status])).toEqual([['alert-1', 'OPEN']]);

    const acknowledged = alertEvent(
      {
        type: 'AlertAcknowledged',
        data: { alertId: 'alert-1', by: 'am-1', note: null, occurredAt: day(2) },
      },
      1n,
      10_000_100n,
    );
    await alerts.applyBatch(database.db, [acknowledged], acknowledged.position);
    const seen = await view(cache, 'acme', now);
    expect(seen.entry).not.toBe(open.entry);
    expect(seen.alerts?.map((alert) => [alert.id, alert.status, alert.acknowledgedBy])).toEqual([
      ['alert-1', 'ACKNOWLEDGED', 'am-1'],
    ]);
  });

  it('does not run the facts’ subqueries for an account whose version the API holds', async () => {
    await apply([
      events.opened('acme', day(0)),
      events.touchpoint('acme', 't1', day(1)),
      events.commitmentMade('acme', 'c1', day(1), day(9)),
    ]);
    const [{ version }] = await database.run<{ version: string }>(
      {
        name: 'test-view-version',
        text: `select view_version::text as version from accounts where id = 'acme'`,
      },
      [],
    );
    /** How many times the plan's aggregates (each list and count of the facts) ran. */
    const aggregatesRun = async (statement: typeof ACCOUNT_FACTS, known: string | null) => {
      const one = statement === ONE_ACCOUNT_FACTS;
      const [row] = await database.run<{ 'QUERY PLAN': unknown }>(
        {
          name: `test-explain-${statement.name}-${known}`,
          text: `explain (analyze, format json) ${statement.text}`,
        },
        one ? ['acme', day(0), day(10), known] : [['acme'], day(0), day(10), [known]],
      );
      const plan = row['QUERY PLAN'];
      const loops: number[] = [];
      const walk = (node: { 'Node Type': string; 'Actual Loops': number; Plans?: unknown[] }) => {
        if (node['Node Type'] === 'Aggregate') loops.push(node['Actual Loops']);
        for (const child of node.Plans ?? []) walk(child as typeof node);
      };
      walk((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan);
      return loops;
    };
    for (const statement of [ACCOUNT_FACTS, ONE_ACCOUNT_FACTS]) {
      const unknown = await aggregatesRun(statement, null);
      expect(unknown.length).toBeGreaterThanOrEqual(4);
      expect(unknown.some((loops) => loops > 0)).toBe(true);
      expect(await aggregatesRun(statement, version)).toEqual(unknown.map(() => 0));
    }
  });

  it('plans the facts of one account once, not on every view', async () => {
    await apply([
      events.opened('acme', day(0)),
      events.touchpoint('acme', 't1', day(1)),
      events.commitmentMade('acme', 'c1', day(1), day(9)),
    ]);
    const cache = new AccountViewCache(1024 * 1024);
    // Views one after another: the pool hands out the same connection, whose plans are counted.
    for (let i = 0; i < 12; i++)
      expect((await view(cache, 'acme', new Date(Date.parse(day(2)) + i))).row).not.toBeNull();
    const [plans] = await database.run<{ generic: string; custom: string }>(
      {
        name: 'test-one-account-facts-plans',
        text: `select generic_plans::text as generic, custom_plans::text as custom
          from pg_prepared_statements where name = $1`,
      },
      [ONE_ACCOUNT_FACTS.name],
    );
    // PostgreSQL plans a prepared statement anew for its first five calls, then keeps a generic
    // plan only if it is estimated to cost no more than those. (The list's statement, which views
    // used before, stayed at custom plans only. That the window's instants must be hidden too
    // shows only with a large analysed read model, such as the demo's, not here.)
    expect(plans).toEqual({ generic: '7', custom: '5' });
  });

  it('answers an account the read model lacks as missing, and keeps nothing without room', async () => {
    await apply([events.opened('acme', day(0))]);
    const none = new AccountViewCache(0);
    const now = new Date(day(1));
    expect((await view(none, 'nobody', now)).row).toBeNull();
    const first = await view(none, 'acme', now);
    const second = await view(none, 'acme', now);
    expect(first.entry).toBeUndefined();
    expect(second.row).toEqual(first.row);
    expect(second.row).not.toBe(first.row);
    expect(none.usage).toEqual({ accounts: 0, bytes: 0 });
  });
});
