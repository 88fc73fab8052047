import type { TestingModule } from '@nestjs/testing';
import { asc, eq } from 'drizzle-orm';

import { EmbeddedEventStore } from '#embedded-eventstore';
import { EventStore } from '#eventstore';
import {
  AccountProjection,
  AccountProjector,
  ReadModelDatabase,
  ReadModelHealth,
  liveTables as t,
} from '#read-model';

import { tempDir } from '../support/helpers.js';
import { day, events, generatedHistory, recorded } from './account-events.js';
import { appendAll, appendHistories, bootReadModel } from './boot.js';
import { DATABASE_TARGETS, type FreshDatabase } from './databases.js';
import { snapshot } from './snapshot.js';

const A = 'acme';
const B = 'globex';

/** Every account event type at least once. */
const story = [
  events.opened(A, day(0), { tier: 'STRATEGIC', cadenceDays: 10 }),
  events.touchpoint(A, 'tp-1', day(1), { sentiment: 'POSITIVE', pillar: 'DISCOVERY' }),
  events.touchpoint(A, 'tp-2', day(2), { channel: 'INTERNAL_NOTE', direction: 'INTERNAL' }),
  events.stageChanged(A, 'PROSPECT', 'DISCOVERY', day(3)),
  events.ownerAssigned(A, 'owner-2', 'owner-1', day(4)),
  events.cadenceSet(A, null, 10, day(5)),
  events.commitmentMade(A, 'c-1', day(5), day(8)),
  events.commitmentMade(A, 'c-2', day(5), day(9)),
  events.commitmentMade(A, 'c-3', day(5), day(10)),
  events.commitmentMade(A, 'c-4', day(5), day(40)),
  events.fulfilled(A, 'c-1', day(7), day(8)),
  events.renegotiated(A, 'c-2', day(9), day(12), day(6)),
  events.cancelled(A, 'c-3', day(7)),
  events.missed(A, 'c-4', day(40), day(41)),
  events.wentSilent(A, day(1), 14, day(16)),
  events.touchpoint(A, 'tp-3', day(20), { sentiment: 'NEGATIVE', channel: 'MEETING', stage: 'DISCOVERY' }),
  events.reEngaged(A, 'tp-3', day(1), 19, day(20)),
  events.opened(B, day(0)),
  events.stageChanged(B, 'PROSPECT', 'LOST', day(30), 'went with a competitor', 'call the CFO earlier'),
];

describe.each(DATABASE_TARGETS)('the account projector on $name', (target) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: EmbeddedEventStore;
  let database: FreshDatabase;
  const modules: TestingModule[] = [];

  const boot = async (options = {}) => {
    const moduleRef = await bootReadModel(database, server.connectionString, options);
    modules.push(moduleRef);
    return {
      moduleRef,
      store: moduleRef.get(EventStore),
      projector: moduleRef.get(AccountProjector),
      db: moduleRef.get(ReadModelDatabase).db,
    };
  };

  beforeEach(async () => {
    dir = await tempDir('projector-es');
    server = await EmbeddedEventStore.start({ dataDir: dir.path });
    database = await target.fresh();
  });

  afterEach(async () => {
    for (const moduleRef of modules.splice(0)) await moduleRef.close();
    await server?.stop();
    await database?.drop();
    await dir?.remove();
  });

  it('puts each event type in the right rows', async () => {
    const { store, projector, db } = await boot();
    const position = await appendAll(store, story);
    expect(await projector.waitFor(position, 15_000)).toBe(true);

    const [acme] = await db.select().from(t.accounts).where(eq(t.accounts.id, A));
    expect(acme).toMatchObject({
      name: `Account ${A}`,
      tier: 'STRATEGIC',
      ownerId: 'owner-2',
      stage: 'DISCOVERY',
      phase: 'PRE_SALES',
      stageEnteredAt: new Date(day(3)),
      openedAt: new Date(day(0)),
      cadenceDays: null,
      effectiveCadenceDays: 14,
      lastTouchpointAt: new Date(day(20)),
      lastQualifyingTouchAt: new Date(day(20)),
      silent: false,
      silentSince: null,
      silenceDeadline: new Date(Date.parse(day(20)) + 14 * 86_400_000),
      touchpointCount: 3,
      commitmentsOpen: 1,
      commitmentsMissed: 1,
      commitmentsFulfilledOnTime: 1,
      commitmentsFulfilledLate: 0,
      commitmentsCancelled: 1,
      nextCommitmentDueAt: new Date(day(12)),
    });
    expect(acme.healthScore).toBeGreaterThanOrEqual(0);
    expect(['GREEN', 'AMBER', 'RED']).toContain(acme.healthBand);

    const [globex] = await db.select().from(t.accounts).where(eq(t.accounts.id, B));
    expect(globex).toMatchObject({ stage: 'LOST', phase: 'EXITED', silent: false, silenceDeadline: null });

    const visits = await db
      .select()
      .from(t.stageVisits)
      .orderBy(asc(t.stageVisits.accountId), asc(t.stageVisits.seq));
    expect(visits).toEqual([
      {
        accountId: A,
        seq: 0,
        stage: 'PROSPECT',
        fromStage: null,
        enteredAt: new Date(day(0)),
        exitedAt: new Date(day(3)),
        toStage: 'DISCOVERY',
        reason: null,
        lessons: null,
      },
      {
        accountId: A,
        seq: 1,
        stage: 'DISCOVERY',
        fromStage: 'PROSPECT',
        enteredAt: new Date(day(3)),
        exitedAt: null,
        toStage: null,
        reason: null,
        lessons: null,
      },
      {
        accountId: B,
        seq: 0,
        stage: 'PROSPECT',
        fromStage: null,
        enteredAt: new Date(day(0)),
        exitedAt: new Date(day(30)),
        toStage: 'LOST',
        reason: null,
        lessons: null,
      },
      {
        accountId: B,
        seq: 1,
        stage: 'LOST',
        fromStage: 'PROSPECT',
        enteredAt: new Date(day(30)),
        exitedAt: null,
        toStage: null,
        reason: 'went with a competitor',
        lessons: 'call the CFO earlier',
      },
    ]);

    const touchpoints = await db.select().from(t.touchpoints).orderBy(asc(t.touchpoints.id));
    expect(touchpoints.map((tp) => [tp.id, tp.qualifying, tp.sentiment, tp.stage])).toEqual([
      ['tp-1', true, 'POSITIVE', 'PROSPECT'],
      ['tp-2', false, null, 'PROSPECT'],
      ['tp-3', true, 'NEGATIVE', 'DISCOVERY'],
    ]);
    expect(touchpoints[0]).toMatchObject({
      accountId: A,
      occurredAt: new Date(day(1)),
      channel: 'CALL',
      direction: 'OUTBOUND',
      pillar: 'DISCOVERY',
      momentOfTruth: false,
      summary: 'touch tp-1',
      actorId: 'am-1',
      participants: ['alice@example.com', 'bob@example.com'],
      source: 'manual',
      externalRef: null,
    });
    expect(touchpoints[0].recordedAt).toBeInstanceOf(Date);

    const commitments = await db.select().from(t.commitments).orderBy(asc(t.commitments.id));
    expect(commitments.map((c) => ({ id: c.id, status: c.status }))).toEqual([
      { id: 'c-1', status: 'FULFILLED' },
      { id: 'c-2', status: 'OPEN' },
      { id: 'c-3', status: 'CANCELLED' },
      { id: 'c-4', status: 'MISSED' },
    ]);
    expect(commitments[0]).toMatchObject({
      fulfilledAt: new Date(day(7)),
      onTime: true,
      resolvedAt: new Date(day(7)),
    });
    expect(commitments[1]).toMatchObject({ dueAt: new Date(day(12)), renegotiations: 1, resolvedAt: null });
    expect(commitments[2]).toMatchObject({ cancelledAt: new Date(day(7)), cancelReason: 'no longer needed' });
    expect(commitments[3]).toMatchObject({ missedAt: new Date(day(41)), resolvedAt: new Date(day(41)) });

    const timeline = await db
      .select()
      .from(t.timelineEntries)
      .where(eq(t.timelineEntries.accountId, A))
      .orderBy(asc(t.timelineEntries.revision));
    expect(timeline.map((entry) => entry.type)).toEqual(
      story.filter((e) => e.data.accountId === A).map((e) => e.type),
    );
    expect(timeline.map((entry) => entry.revision)).toEqual(timeline.map((_, i) => BigInt(i)));
    expect(timeline[1]).toMatchObject({
      touchpointId: 'tp-1',
      channel: 'CALL',
      pillar: 'DISCOVERY',
      occurredAt: new Date(day(1)),
    });
    // A touch's fields are stored once, in its touchpoint row; the timeline reads them from there.
    expect(timeline[1].data).toBeNull();
    expect(timeline[10]).toMatchObject({ type: 'CommitmentFulfilled', commitmentId: 'c-1' });
    expect(timeline[10].data).toMatchObject({ commitmentId: 'c-1', onTime: true });

    const [checkpoint] = await db.select().from(t.projectionCheckpoints);
    expect(checkpoint).toMatchObject({
      name: 'account-read-model',
      eventsApplied: story.length,
      commitPosition: position.commit.toString(),
    });
    expect(projector.eventsApplied).toBe(story.length);
    expect(projector.position?.commit).toBe(position.commit);
  });

  it('marks a silent account and clears the silence deadline', async () => {
    const { store, projector, db } = await boot();
    const position = await appendAll(store, [
      events.opened(A, day(0)),
      events.wentSilent(A, day(0), 30, day(31)),
    ]);
    expect(await projector.waitFor(position, 15_000)).toBe(true);
    const [row] = await db.select().from(t.accounts);
    expect(row).toMatchObject({ silent: true, silentSince: new Date(day(0)), silenceDeadline: null });
  });

  it('stores the health as of the recorded time of the last event of the account', async () => {
    const { db } = await boot({ autoStart: false });
    const batch = recorded([
      events.opened(A, day(150)),
      events.touchpoint(A, 'tp-1', day(150), { sentiment: 'POSITIVE', pillar: 'DISCOVERY' }),
    ]);
    await new AccountProjection().applyBatch(db, batch, batch[1].position);
    const [row] = await db.select().from(t.accounts);
    // recency 35 + commitments 25 (no history) + sentiment 20 + one pillar of three 3.33 + alerts 10
    expect(row).toMatchObject({ healthScore: 93, healthBand: 'GREEN', healthAsOf: batch[1].created });
  });

  it('leaves neither the rows nor the checkpoint of a batch that fails half way', async () => {
    const { db } = await boot({ autoStart: false });
    const projection = new AccountProjection();
    const good = recorded([events.opened(A, day(0)), events.touchpoint(A, 'tp-1', day(1))]);
    await projection.applyBatch(db, good, good[1].position);
    const before = await snapshot(db);

    const poisoned = recorded(
      [
        events.touchpoint(A, 'tp-2', day(2)),
        events.opened(B, day(0)),
        events.touchpoint(A, 'tp-3', 'not an instant'),
      ],
      1000n,
    );
    await expect(projection.applyBatch(db, poisoned, poisoned[2].position)).rejects.toThrow();
    expect(await snapshot(db)).toEqual(before);
    expect((await projection.loadCheckpoint(db))?.position).toEqual(good[1].position);
  });

  it('applies a batch handed twice only once', async () => {
    const { db } = await boot({ autoStart: false });
    const projection = new AccountProjection();
    const batch = recorded(story);
    expect(await projection.applyBatch(db, batch, batch[batch.length - 1].position)).toBe(story.length);
    const once = await snapshot(db);
    expect(await projection.applyBatch(db, batch, batch[batch.length - 1].position)).toBe(0);
    const twice = await snapshot(db);
    expect(twice.accounts).toEqual(once.accounts);
    expect(twice.timelineEntries).toHaveLength(story.length);
    expect({ ...twice, projectionCheckpoints: [] }).toEqual({ ...once, projectionCheckpoints: [] });
  });

  it('resumes from its checkpoint after a restart and applies nothing twice', async () => {
    const histories = generatedHistory(6, 40);
    const first = histories.map((h) => h.slice(0, 25));
    const rest = histories.map((h) => h.slice(25));
    const count = (list: typeof histories) => list.reduce((sum, h) => sum + h.length, 0);

    const one = await boot({ batchSize: 20 });
    const firstEnd = await appendHistories(one.store, first);
    expect(await one.projector.waitFor(firstEnd, 15_000)).toBe(true);
    expect(one.projector.eventsApplied).toBe(count(first));
    await one.moduleRef.close();
    modules.splice(modules.indexOf(one.moduleRef), 1);

    const two = await boot({ batchSize: 20 });
    const end = await appendHistories(two.store, rest);
    expect(await two.projector.waitFor(end, 15_000)).toBe(true);
    expect(two.projector.eventsApplied).toBe(count(rest));

    const [checkpoint] = await two.db.select().from(t.projectionCheckpoints);
    expect(checkpoint.eventsApplied).toBe(count(histories));
    expect(await two.db.$count(t.timelineEntries)).toBe(count(histories));
    const rows = await two.db.select().from(t.accounts).orderBy(asc(t.accounts.id));
    expect(rows.map((row) => row.touchpointCount)).toEqual(
      histories.map((h) => h.filter((e) => e.type === 'TouchpointRecorded').length),
    );
  });

  it('answers waitFor at once when already there and false after the timeout when not', async () => {
    const { store, projector } = await boot();
    const position = await appendAll(store, [events.opened(A, day(0))]);
    expect(await projector.waitFor(position, 15_000)).toBe(true);
    expect(await projector.waitFor(position.commit, 0)).toBe(true);
    const started = Date.now();
    expect(await projector.waitFor(position.commit + 1_000_000n, 100)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('reports ready once caught up, with the lag in events', async () => {
    const { store, projector, moduleRef } = await boot();
    const position = await appendAll(store, [events.opened(A, day(0)), events.touchpoint(A, 'tp-1', day(1))]);
    expect(await projector.waitFor(position, 15_000)).toBe(true);
    const status = await moduleRef.get(ReadModelHealth).status();
    expect(status).toMatchObject({
      ready: true,
      driver: target.name,
      lagEvents: 0,
      caughtUpOnce: true,
      checkpoint: `${position.commit}/${position.prepare}`,
    });

    await projector.stop();
    await appendAll(store, [events.touchpoint(A, 'tp-2', day(2)), events.touchpoint(A, 'tp-3', day(3))]);
    expect(await moduleRef.get(ReadModelHealth).status()).toMatchObject({ lagEvents: 2 });
  });
});
