import {
  outlinePortfolio,
  planAccount,
  type AccountPlan,
  type CommitmentPlan,
  type DemoOptions,
  type DemoPortfolio,
  type TouchpointItem,
} from './demo-portfolio.js';
import { IngestionClient, Limiter, type ItemOutcome, type Refusal } from './ingestion-client.js';

export { SeedAbortedError } from './ingestion-client.js';

export interface SeedOptions extends DemoOptions {
  readonly url: string;
  readonly token: string;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly onProgress?: (progress: SeedProgress) => void;
  readonly progressIntervalMs?: number;
}

export const ITEM_KINDS = [
  'accounts',
  'stageChanges',
  'commitments',
  'commitmentUpdates',
  'touchpoints',
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** `skipped`: not sent because what it depends on (its account, its commitment) was rejected. */
export interface KindCounts {
  created: number;
  duplicate: number;
  rejected: number;
  skipped: number;
}

export interface Rejection extends Refusal {
  readonly kind: ItemKind;
  /** Which item: its id, or account and stage for a stage change. */
  readonly key: string;
}

export interface SeedProgress {
  readonly elapsedMs: number;
  readonly counts: Readonly<Record<ItemKind, Readonly<KindCounts>>>;
  readonly planned: {
    readonly accounts: number;
    readonly stageChanges: number;
    readonly touchpoints: number;
  };
  /** Items of every kind answered per second since the start. */
  readonly itemsPerSecond: number;
  /** Touchpoints answered per second since the previous report. */
  readonly touchpointsPerSecond: number;
}

export interface SeedSummary extends SeedProgress {
  readonly asOf: string;
  readonly rejections: readonly Rejection[];
}

const MAX_BATCH = 1_000;
/** About this many touchpoints per chunk of accounts worked through together. */
const CHUNK_TOUCHPOINTS = 5_000;

/**
 * Loads the demo portfolio through the public REST API, chunk by chunk of accounts. Within a
 * chunk: open the accounts; make their commitments and at once fulfil, renegotiate or cancel
 * them (before the service's deadline check would find the kept ones overdue); walk each account
 * through its stages in order; then record the touchpoints, which the service files under the
 * stage each one happened in. Commitments come before the stages because none can be made on an
 * account once it is LOST or CHURNED.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedSummary> {
  const portfolio = outlinePortfolio(options);
  const limiter = new Limiter(options.concurrency);
  const client = new IngestionClient(options.url, options.token, limiter);
  await client.checkAccess();

  const tally = new Tally(portfolio);
  const timer = options.onProgress
    ? setInterval(() => options.onProgress?.(tally.progress()), options.progressIntervalMs ?? 2_000)
    : undefined;
  try {
    const perChunk = Math.max(1, Math.round(CHUNK_TOUCHPOINTS / (options.touchpoints / options.accounts)));
    const chunkSize = Math.min(200, Math.max(5, perChunk));
    const chunks: number[][] = [];
    for (let start = 0; start < portfolio.accounts.length; start += chunkSize) {
      const end = Math.min(start + chunkSize, portfolio.accounts.length);
      chunks.push(Array.from({ length: end - start }, (_, k) => start + k));
    }
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await seedChunk(client, portfolio, chunks[next++], tally);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, chunks.length) }, worker));
  } finally {
    if (timer) clearInterval(timer);
  }
  return { ...tally.progress(), asOf: portfolio.asOf, rejections: tally.rejections };
}

async function seedChunk(
  client: IngestionClient,
  portfolio: DemoPortfolio,
  indexes: readonly number[],
  tally: Tally,
): Promise<void> {
  const plans = indexes.map((index) => planAccount(portfolio, index));

  const opened = await client.batch(
    '/v1/accounts',
    'accounts',
    plans.map((plan) => plan.open),
  );
  const live: Array<{ plan: AccountPlan; existed: boolean }> = [];
  plans.forEach((plan, i) => {
    tally.record('accounts', plan.open.id, opened[i]);
    if (opened[i].status === 'rejected') {
      // Everything else of an account that could not be opened would only be refused too.
      tally.skip('stageChanges', plan.stageChanges.length);
      tally.skip('touchpoints', plan.touchpoints.length);
      tally.skip('commitments', plan.commitments.length);
      tally.skip('commitmentUpdates', plan.commitments.filter((c) => c.update).length);
    } else {
      live.push({ plan, existed: opened[i].status === 'duplicate' });
    }
  });

  const commitments = live.flatMap(({ plan }) => plan.commitments);
  const made: CommitmentPlan[] = [];
  for (let start = 0; start < commitments.length; start += MAX_BATCH) {
    const batch = commitments.slice(start, start + MAX_BATCH);
    const outcomes = await client.batch(
      '/v1/commitments',
      'commitments',
      batch.map((c) => c.item),
    );
    batch.forEach((commitment, i) => {
      tally.record('commitments', commitment.item.commitmentId, outcomes[i]);
      if (outcomes[i].status !== 'rejected') made.push(commitment);
      else if (commitment.update) tally.skip('commitmentUpdates', 1);
    });
  }
  await Promise.all(made.map((commitment) => updateCommitment(client, commitment, tally)));

  await Promise.all(live.map(({ plan, existed }) => walkStages(client, plan, existed, tally)));

  await recordTouchpoints(
    client,
    live.flatMap(({ plan }) => plan.touchpoints),
    tally,
  );
}

async function updateCommitment(
  client: IngestionClient,
  commitment: CommitmentPlan,
  tally: Tally,
): Promise<void> {
  const { update, item } = commitment;
  if (!update) return;
  const path = `/v1/accounts/${encodeURIComponent(item.accountId)}/commitments/${encodeURIComponent(item.commitmentId)}`;
  const { kind, ...body } = update;
  const outcome = await client.operation(`${path}/${kind}`, body);
  tally.record('commitmentUpdates', `${item.commitmentId} ${kind}`, outcome);
}

/**
 * Sends the account's stage changes in order. The service keeps no id for a stage change, so on
 * a re-run (the account was already there) the steps already taken come back refused: as a move
 * the current stage does not allow, or as one dated before the current stage was entered. Those
 * count as duplicates as long as a later step is accepted or found already done, which shows the
 * account is where the plan puts it.
 */
async function walkStages(
  client: IngestionClient,
  plan: AccountPlan,
  existed: boolean,
  tally: Tally,
): Promise<void> {
  const path = `/v1/accounts/${encodeURIComponent(plan.open.id)}/stage`;
  const outcomes: ItemOutcome[] = [];
  for (const change of plan.stageChanges) {
    const outcome = await client.operation(path, change);
    outcomes.push(outcome);
    if (outcome.status === 'rejected' && !existed) break;
  }
  const lastAccepted = outcomes.findLastIndex((o) => o.status !== 'rejected');
  outcomes.forEach((outcome, k) => {
    const change = plan.stageChanges[k];
    const key = `${plan.open.id} to ${change.to} at ${change.occurredAt}`;
    const takenBefore =
      existed && k < lastAccepted && outcome.status === 'rejected' && isStepAlreadyTaken(outcome.error);
    tally.record('stageChanges', key, takenBefore ? { status: 'duplicate' } : outcome);
  });
  tally.skip('stageChanges', plan.stageChanges.length - outcomes.length);
}

function isStepAlreadyTaken(error: Refusal): boolean {
  return (
    error.code === 'INVALID_TRANSITION' || (error.code === 'BAD_USER_INPUT' && error.field === 'occurredAt')
  );
}

/**
 * Touchpoints in batches of up to 1,000, whole accounts where they fit. An account split over
 * two batches has them sent one after the other, so its touchpoints arrive in business-time order.
 */
async function recordTouchpoints(
  client: IngestionClient,
  touchpoints: readonly TouchpointItem[],
  tally: Tally,
) {
  const sends: Array<Promise<void>> = [];
  for (let start = 0; start < touchpoints.length; start += MAX_BATCH) {
    const batch = touchpoints.slice(start, start + MAX_BATCH);
    const continues = start > 0 && touchpoints[start - 1].accountId === batch[0].accountId;
    const previous = continues ? sends[sends.length - 1] : Promise.resolve();
    sends.push(
      previous.then(async () => {
        const outcomes = await client.batch('/v1/touchpoints', 'touchpoints', batch);
        batch.forEach((touchpoint, i) => tally.record('touchpoints', touchpoint.touchpointId, outcomes[i]));
      }),
    );
  }
  await Promise.all(sends);
}

class Tally {
  readonly counts: Record<ItemKind, KindCounts>;
  readonly rejections: Rejection[] = [];
  private readonly startedAt = Date.now();
  private lastReport = { at: this.startedAt, touchpoints: 0 };
  private readonly planned: SeedProgress['planned'];

  constructor(portfolio: DemoPortfolio) {
    this.counts = Object.fromEntries(
      ITEM_KINDS.map((kind) => [kind, { created: 0, duplicate: 0, rejected: 0, skipped: 0 }]),
    ) as Record<ItemKind, KindCounts>;
    this.planned = {
      accounts: portfolio.accounts.length,
      stageChanges: portfolio.accounts.reduce((sum, a) => sum + a.stageChanges.length, 0),
      touchpoints: portfolio.accounts.reduce((sum, a) => sum + a.touchpointCount, 0),
    };
  }

  record(kind: ItemKind, key: string, outcome: ItemOutcome): void {
    this.counts[kind][outcome.status]++;
    if (outcome.status === 'rejected') this.rejections.push({ kind, key, ...outcome.error });
  }

  skip(kind: ItemKind, n: number): void {
    this.counts[kind].skipped += n;
  }

  progress(): SeedProgress {
    const now = Date.now();
    const answered = (c: KindCounts) => c.created + c.duplicate + c.rejected;
    const items = ITEM_KINDS.reduce((sum, kind) => sum + answered(this.counts[kind]), 0);
    const touchpoints = answered(this.counts.touchpoints);
    const sinceLast = Math.max(1, now - this.lastReport.at);
    const touchpointsPerSecond = ((touchpoints - this.lastReport.touchpoints) * 1000) / sinceLast;
    this.lastReport = { at: now, touchpoints };
    const elapsedMs = now - this.startedAt;
    return {
      elapsedMs,
      counts: structuredClone(this.counts),
      planned: this.planned,
      itemsPerSecond: (items * 1000) / Math.max(1, elapsedMs),
      touchpointsPerSecond,
    };
  }
}
