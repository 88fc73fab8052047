// The demo portfolio's plan as data: what is sent for each account, and the options it is made
// from. Shared by the generator and the seeder.
import type { Channel, Direction, LifecycleStage, Pillar, Sentiment, Tier } from '#lifecycle';

import type { JourneyKind } from './journeys.js';
import type { DemoTeam, Mood } from './touch-content.js';

export type { JourneyKind } from './journeys.js';
export type { Mood } from './touch-content.js';

export interface DemoOptions {
  readonly seed: string;
  readonly accounts: number;
  /** Touchpoints in the whole portfolio, spread over the accounts. */
  readonly touchpoints: number;
  /** The reference time: history runs up to it; silence and due dates are judged at it. */
  readonly asOf: Date;
  /** Account ids are `<idPrefix>-0001`, ... (default `demo`). */
  readonly idPrefix?: string;
}

/** Bounds the options must respect (the command line checks them with these). */
export const DEMO_LIMITS = {
  minAccounts: 12,
  maxAccounts: 100_000,
  maxTouchpoints: 20_000_000,
  /** History never reaches further back than this before `asOf`. */
  historyDays: 730,
} as const;

export interface OpenAccountItem {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
  readonly ownerId: string;
  readonly stage: LifecycleStage;
  readonly openedAt: string;
  readonly cadenceDays?: number;
}

export interface StageChangeItem {
  readonly to: LifecycleStage;
  readonly occurredAt: string;
  readonly reason?: string;
  readonly lessons?: string;
}

export interface TouchpointItem {
  readonly touchpointId: string;
  readonly accountId: string;
  readonly occurredAt: string;
  readonly channel: Channel;
  readonly direction: Direction;
  readonly pillar: Pillar;
  readonly sentiment?: Sentiment;
  readonly momentOfTruth: boolean;
  readonly summary: string;
  readonly actorId?: string;
  readonly participants: string[];
  readonly source: string;
  readonly externalRef?: string;
}

export interface CommitmentItem {
  readonly commitmentId: string;
  readonly accountId: string;
  readonly title: string;
  readonly description?: string;
  readonly ownerId: string;
  readonly madeAt: string;
  readonly dueAt: string;
  readonly touchpointId?: string;
}

/**
 * ON_TIME and LATE are fulfilled before and after the due date; MISSED is left open past it
 * (the service records it missed); RENEGOTIATED gets a new date after `asOf`; OPEN is due later.
 */
export type CommitmentOutcome = 'ON_TIME' | 'LATE' | 'MISSED' | 'RENEGOTIATED' | 'CANCELLED' | 'OPEN';
export const COMMITMENT_OUTCOMES: readonly CommitmentOutcome[] = [
  'ON_TIME',
  'LATE',
  'MISSED',
  'RENEGOTIATED',
  'CANCELLED',
  'OPEN',
];

export type CommitmentUpdate =
  | { readonly kind: 'fulfil'; readonly fulfilledAt: string }
  | { readonly kind: 'renegotiate'; readonly newDueAt: string; readonly reason: string }
  | { readonly kind: 'cancel'; readonly reason: string };

export interface CommitmentPlan {
  readonly item: CommitmentItem;
  readonly outcome: CommitmentOutcome;
  readonly update?: CommitmentUpdate;
}

/** One account without its activity: cheap to make for the whole portfolio up front. */
export interface AccountOutline {
  readonly index: number;
  readonly open: OpenAccountItem;
  /** In order; every `occurredAt` after the one before it and after `openedAt`. */
  readonly stageChanges: readonly StageChangeItem[];
  readonly journey: JourneyKind;
  readonly mood: Mood;
  /** The cadence silence is judged by (the agreed one, else the tier's). */
  readonly cadenceDays: number;
  /** No qualifying touch after `quietSince`, so the account is silent at `asOf`. */
  readonly silent: boolean;
  readonly quietSince?: string;
  /** Carries every kind of touch and every commitment outcome, so that even a small portfolio does. */
  readonly everyKind: boolean;
  readonly touchpointCount: number;
}

export interface AccountPlan extends AccountOutline {
  /** In business-time order. */
  readonly touchpoints: readonly TouchpointItem[];
  readonly commitments: readonly CommitmentPlan[];
}

export interface DemoPortfolio {
  readonly seed: string;
  readonly asOf: string;
  readonly idPrefix: string;
  readonly accounts: readonly AccountOutline[];
  readonly owners: readonly string[];
  readonly team: DemoTeam;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export function roundToSecond(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
