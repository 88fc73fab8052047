import type { Sentiment } from '#lifecycle';

export const SENTIMENT_SAMPLE_SIZE = 5;

export type SentimentTouchFacts = { readonly occurredAt: Date; readonly sentiment: Sentiment | null };

/**
 * The sentiments of the last `limit` touchpoints that have one, by occurredAt, newest first.
 * Touches are taken in recording order: of two with the same occurredAt, the one recorded
 * later counts as the later. One pass, so folding a long stream stays linear.
 */
export function recentSentiments(
  touches: Iterable<SentimentTouchFacts>,
  limit: number = SENTIMENT_SAMPLE_SIZE,
): Sentiment[] {
  // Newest first; at most `limit` entries, so each insertion is O(limit).
  const newest: { at: number; sentiment: Sentiment }[] = [];
  for (const touch of touches) {
    if (touch.sentiment === null || limit < 1) continue;
    const at = touch.occurredAt.getTime();
    let index = newest.findIndex((kept) => at >= kept.at);
    if (index === -1) index = newest.length;
    if (index >= limit) continue;
    newest.splice(index, 0, { at, sentiment: touch.sentiment });
    if (newest.length > limit) newest.pop();
  }
  return newest.map((kept) => kept.sentiment);
}
