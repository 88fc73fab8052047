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
  /**
   * The instants business times may take: what every store keeps as it is. PostgreSQL refuses
   * years past 294276 and before 4713 BC, and years before 1000 do not come back unchanged.
   */
  earliestInstant: '1900-01-01T00:00:00.000Z',
  latestInstant: '9999-12-31T23:59:59.999Z',
} as const;

export const DAY_MS = 24 * 60 * 60 * 1000;
