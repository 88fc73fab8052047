// Account histories for the projection benchmark, made the way the service would record them:
// opened, walked through its stages, mostly touchpoints, commitments made and then fulfilled,
// missed, renegotiated or cancelled. Deterministic for a seed, so every run projects the same.
import { jsonEvent, type EventData } from '@eventstore/db-client';

import {
  isQualifyingTouch,
  type AccountEvent,
  type Channel,
  type Direction,
  type LifecycleStage,
  type Pillar,
  type Sentiment,
  type Tier,
} from '#lifecycle';

const DAY = 86_400_000;
const CHANNELS: Channel[] = [
  'EMAIL',
  'EMAIL',
  'EMAIL',
  'CALL',
  'VIDEO_CALL',
  'MEETING',
  'CHAT',
  'SUPPORT_TICKET',
];
const RARE_CHANNELS: Channel[] = ['SURVEY', 'EVENT', 'PRODUCT_USAGE', 'SOCIAL', 'INTERNAL_NOTE', 'IN_PERSON'];
const DIRECTIONS: Direction[] = ['OUTBOUND', 'OUTBOUND', 'INBOUND', 'INBOUND', 'INTERNAL'];
const PILLARS: Pillar[] = ['DISCOVERY', 'SERVICE', 'ENGAGEMENT'];
const SENTIMENTS: (Sentiment | null)[] = ['POSITIVE', 'POSITIVE', 'NEUTRAL', 'NEGATIVE', null, null];
const TIERS: Tier[] = [
  'STRATEGIC',
  'ENTERPRISE',
  'ENTERPRISE',
  'MIDMARKET',
  'MIDMARKET',
  'SMB',
  'SMB',
  'SMB',
];
const JOURNEY: LifecycleStage[] = ['PROSPECT', 'DISCOVERY', 'PROPOSAL', 'ONBOARDING', 'ACTIVE', 'RENEWAL'];
const SUMMARIES = [
  'Walked through the renewal quote with the revised seat count; finance reviews it next week.',
  'Support ticket about SSO login loops resolved after the IdP certificate was rotated.',
  'Quarterly business review: adoption up in two regions, the third still waits for training.',
  'Intro call with the new operations lead, who wants a short demo of the reporting module.',
  'Sent the onboarding checklist and the data-migration plan for the first two teams.',
];

/** A small, fast, seeded generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)];

/**
 * `count` events of one account in business-time order, ending before `asOf`: about 5% stage
 * changes, 5% commitments made and 4% resolved, the rest touchpoints.
 */
export function accountHistory(
  accountId: string,
  index: number,
  count: number,
  asOf: number,
): AccountEvent[] {
  const next = random(index * 7919 + 17);
  const span = 700 * DAY;
  let at = asOf - span + Math.floor(next() * 30 * DAY);
  const step = Math.floor((span - 60 * DAY) / Math.max(1, count));
  const iso = () => new Date(at).toISOString();
  const ownerId = `owner-${String(index % 40).padStart(2, '0')}`;
  const tier = pick(next, TIERS);
  const lostAt = next() < 0.1 ? 2 + Math.floor(next() * 3) : -1;
  const events: AccountEvent[] = [
    {
      type: 'AccountOpened',
      data: {
        accountId,
        name: `Bench Account ${index}`,
        tier,
        ownerId,
        stage: 'PROSPECT',
        openedAt: iso(),
        cadenceDays: next() < 0.2 ? 14 : null,
        occurredAt: iso(),
      },
    },
  ];
  let stageIndex = 0;
  let stage: LifecycleStage = 'PROSPECT';
  const open: { id: string; dueAt: number }[] = [];
  let commitments = 0;
  let touches = 0;
  const stageEvery = Math.max(2, Math.floor(count / 6));
  while (events.length < count) {
    at += Math.max(60_000, Math.floor(step * (0.5 + next())));
    const n = events.length;
    const exited = stage === 'LOST';
    if (!exited && n % stageEvery === 0 && stageIndex < JOURNEY.length - 1) {
      const from = stage;
      const lose = stageIndex === lostAt;
      stage = lose ? 'LOST' : JOURNEY[++stageIndex];
      events.push({
        type: 'LifecycleStageChanged',
        data: {
          accountId,
          from,
          to: stage,
          reason: lose ? 'Chose a competitor with a cheaper entry tier' : null,
          lessons: lose ? 'Bring pricing options earlier' : null,
          occurredAt: iso(),
        },
      });
      continue;
    }
    const roll = next();
    if (!exited && roll < 0.05) {
      const id = `${accountId}-c${commitments++}`;
      const dueAt = at + (7 + Math.floor(next() * 30)) * DAY;
      open.push({ id, dueAt });
      events.push({
        type: 'CommitmentMade',
        data: {
          accountId,
          commitmentId: id,
          title: `Send the ${pick(next, ['pricing sheet', 'security review', 'migration plan', 'training dates'])}`,
          description: null,
          ownerId,
          madeAt: iso(),
          dueAt: new Date(dueAt).toISOString(),
          touchpointId: null,
          occurredAt: iso(),
        },
      });
      continue;
    }
    if (roll < 0.09 && open.length > 0) {
      const commitment = open.shift()!;
      const kind = next();
      if (kind < 0.75) {
        const onTime = at <= commitment.dueAt;
        events.push({
          type: 'CommitmentFulfilled',
          data: {
            accountId,
            commitmentId: commitment.id,
            fulfilledAt: iso(),
            dueAt: new Date(commitment.dueAt).toISOString(),
            onTime,
            lateAfterMissed: false,
            occurredAt: iso(),
          },
        });
      } else if (kind < 0.9) {
        events.push({
          type: 'CommitmentMissed',
          data: {
            accountId,
            commitmentId: commitment.id,
            dueAt: new Date(commitment.dueAt).toISOString(),
            occurredAt: iso(),
          },
        });
      } else {
        events.push({
          type: 'CommitmentCancelled',
          data: {
            accountId,
            commitmentId: commitment.id,
            reason: 'No longer needed after the scope change',
            previousStatus: 'OPEN',
            occurredAt: iso(),
          },
        });
      }
      continue;
    }
    const channel = next() < 0.9 ? pick(next, CHANNELS) : pick(next, RARE_CHANNELS);
    const direction = pick(next, DIRECTIONS);
    events.push({
      type: 'TouchpointRecorded',
      data: {
        accountId,
        touchpointId: `${accountId}-t${touches++}`,
        occurredAt: iso(),
        channel,
        direction,
        pillar: pick(next, PILLARS),
        sentiment: pick(next, SENTIMENTS),
        momentOfTruth: next() < 0.03,
        summary: pick(next, SUMMARIES),
        actorId: next() < 0.5 ? ownerId : null,
        participants: next() < 0.4 ? ['jordan@customer.example', 'sam@customer.example'] : [],
        source: pick(next, ['crm', 'crm', 'email-sync', 'support-desk']),
        externalRef: `ext-${index}-${touches}`,
        stage,
        qualifying: isQualifyingTouch({ channel, direction }),
      },
    });
  }
  return events;
}

/** The event as the service stores it: the data, and our metadata with EventStoreDB's copies. */
export function storedEvent(event: AccountEvent, requestId: string): EventData {
  return jsonEvent({
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: {
      correlationId: requestId,
      causationId: requestId,
      principal: 'bench',
      schemaVersion: 1,
      $correlationId: requestId,
      $causationId: requestId,
    },
  });
}
