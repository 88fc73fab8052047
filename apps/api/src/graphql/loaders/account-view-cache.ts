import { LRUCache } from 'lru-cache';

import type { AccountViewLookup, Metrics } from '#metrics';

import type { AccountFacts } from './account-facts.js';
import type { TimelineSlice } from './read-model-loaders.js';

/** What this process holds of one account between requests, at one view version. */
export interface AccountViewEntry {
  /** The account's `view_version` the facts were read at. */
  readonly version: string;
  readonly facts: AccountFacts;
  /**
   * The instants (ms) between which the facts' health-window counts hold: from the request that
   * read them until a qualifying touch leaves the window or one dated later enters it.
   */
  readonly validFrom: number;
  readonly validUntil: number;
  /** Timeline pages read at (or after) this version, by their arguments. */
  readonly timelines: Map<string, TimelineSlice>;
}

/** Timeline pages kept per account: the view's first page and a few more of its shapes. */
const TIMELINES_PER_ACCOUNT = 4;

/**
 * The account view's facts and timeline pages, kept between requests up to a size in bytes
 * (least recently used first out). Nothing is served from here without the database's word: every
 * request sends the versions it holds with its facts statement, which answers an account whose
 * version moved with its new facts, so a view is never older than one read from the database
 * at the same moment. What it saves is reading, sending and parsing the unchanged facts.
 */
export class AccountViewCache {
  private readonly entries: LRUCache<string, AccountViewEntry> | null;

  /** `maxBytes` of 0 keeps nothing. */
  constructor(
    readonly maxBytes: number,
    private readonly metrics?: Metrics,
  ) {
    this.entries =
      maxBytes > 0
        ? new LRUCache<string, AccountViewEntry>({ maxSize: maxBytes, sizeCalculation: estimatedBytes })
        : null;
  }

  /** The entry held for the account if its facts hold at `at`; its version is still to be checked. */
  usable(accountId: string, at: number): AccountViewEntry | undefined {
    const entry = this.entries?.get(accountId);
    return entry !== undefined && entry.validFrom <= at && at < entry.validUntil ? entry : undefined;
  }

  /** Holds facts just read, in place of what was held. */
  keep(accountId: string, entry: AccountViewEntry): void {
    this.entries?.set(accountId, entry);
  }

  /**
   * Adds a timeline page read after `entry`'s facts were checked. A page newer than the version is
   * harmless: the version has then moved, so the entry is never served again.
   */
  keepTimeline(accountId: string, entry: AccountViewEntry, key: string, slice: TimelineSlice): void {
    if (this.entries === null || this.entries.peek(accountId) !== entry) return;
    if (entry.timelines.size >= TIMELINES_PER_ACCOUNT) {
      const oldest = entry.timelines.keys().next().value;
      if (oldest !== undefined) entry.timelines.delete(oldest);
    }
    entry.timelines.set(key, slice);
    // Set again so that its size is counted again.
    this.entries.set(accountId, entry);
  }

  /** Counts what a request found held for one account (`/metrics`). */
  counted(result: AccountViewLookup): void {
    this.metrics?.recordAccountViewLookup(result);
  }

  forget(accountId: string): void {
    this.entries?.delete(accountId);
  }

  /** Accounts held, and their estimated bytes. */
  get usage(): { readonly accounts: number; readonly bytes: number } {
    return { accounts: this.entries?.size ?? 0, bytes: this.entries?.calculatedSize ?? 0 };
  }
}

/**
 * About what an entry takes on the heap (objects, dates, strings). Calibrated once by hand, not by a
 * test: 2,000 demo accounts with their first 20-entry timeline pages took 33.2 KB each on the heap
 * (after a full collection), and this estimated 33.5 KB.
 */
export function estimatedBytes(entry: AccountViewEntry): number {
  const { facts } = entry;
  let bytes = 1_200 + facts.stageHistory.length * 250 + facts.recentSentiments.length * 16;
  for (const commitment of facts.commitments)
    bytes += 450 + textBytes(commitment.title, commitment.description);
  for (const alert of facts.openAlerts) bytes += 500 + textBytes(alert.title, alert.detail);
  for (const slice of entry.timelines.values()) {
    for (const timelineEntry of slice.entries) {
      bytes += 700 + textBytes(timelineEntry.summary, timelineEntry.touchpoint?.summary);
      if (timelineEntry.touchpoint) bytes += 600;
      if (timelineEntry.commitment) bytes += 450;
    }
  }
  return bytes;
}

function textBytes(...texts: (string | null | undefined)[]): number {
  let bytes = 0;
  for (const text of texts) if (text) bytes += 16 + text.length * 2;
  return bytes;
}
