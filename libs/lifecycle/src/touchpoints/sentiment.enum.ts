export const Sentiment = {
  NEGATIVE: 'NEGATIVE',
  NEUTRAL: 'NEUTRAL',
  POSITIVE: 'POSITIVE',
} as const;
export type Sentiment = (typeof Sentiment)[keyof typeof Sentiment];
export const SENTIMENTS: readonly Sentiment[] = Object.values(Sentiment);
