/** Input limits: product.md where it sets them, otherwise generous caps so nothing grows unbounded. */
export const LIMITS = {
  /** product.md */
  accountIdPattern: /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
  nameMaxLength: 200,
  titleMaxLength: 200,
  cadenceMinDays: 1,
  cadenceMaxDays: 365,
  participantsMaxCount: 50,
  summaryMaxLength: 2_000,
  /** Business times may run this far ahead of `now` (clock skew between systems). */
  maxClockSkewMs: 5 * 60 * 1000,
  /** Our own caps (not in product.md). */
  itemIdMaxLength: 128,
  personIdMaxLength: 200,
  participantMaxLength: 200,
  sourceMaxLength: 100,
  externalRefMaxLength: 500,
  reasonMaxLength: 2_000,
  descriptionMaxLength: 2_000,
  lessonsMaxLength: 5_000,
} as const;

export const DAY_MS = 24 * 60 * 60 * 1000;
