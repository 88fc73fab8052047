// The whole account view as one GraphQL selection, and a way to ask the read model for it at a
// chosen instant, so that a view from the read model and one folded `asOf` can be compared field
// for field.
import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { Clock } from '#account-commands';

export const TOUCHPOINT_FIELDS = `id accountId occurredAt recordedAt channel direction pillar sentiment
  momentOfTruth stage summary actorId participants source externalRef`;

export const COMMITMENT_FIELDS = `id accountId title description ownerId madeAt dueAt status fulfilledAt
  onTime missedAt renegotiations`;

/** Every field of the Account type, both pillar windows, and every commitment list. */
export const ACCOUNT_VIEW_FIELDS = `
  id name tier ownerId openedAt stage phase stageEnteredAt daysInStage
  stageHistory { stage enteredAt exitedAt reason lessons }
  cadenceDays lastTouchpointAt lastQualifyingTouchAt daysSinceLastQualifyingTouch
  silent silentSince touchpointCount
  pillars90: pillarBalance { windowDays discovery service engagement }
  pillars30: pillarBalance(windowDays: 30) { windowDays discovery service engagement }
  commitmentStats { open overdue fulfilledOnTime fulfilledLate missed cancelled onTimeRate }
  commitments { ${COMMITMENT_FIELDS} }
  openCommitments: commitments(status: [OPEN]) { id }
  missedCommitments: commitments(status: [MISSED]) { id }
  closedCommitments: commitments(status: [FULFILLED, CANCELLED]) { id status }
  health { score band factors { name points maxPoints detail } }
  openAlerts {
    id kind severity status accountId accountName ownerId tier title detail raisedAt
    acknowledgedAt acknowledgedBy resolvedAt resolution
  }
  timeline(first: 200) {
    edges {
      cursor
      node {
        id type occurredAt recordedAt summary
        touchpoint { ${TOUCHPOINT_FIELDS} }
        commitment { ${COMMITMENT_FIELDS} }
      }
    }
    pageInfo { hasNextPage endCursor }
  }`;

export const ACCOUNT_VIEW_QUERY = `query AccountView($id: ID!, $asOf: DateTime) {
  account(id: $id, asOf: $asOf) { ${ACCOUNT_VIEW_FIELDS} }
}`;

/**
 * Runs `request` with the application's clock standing at `instant`: a view without `asOf` then
 * computes its day counts, windows and health for that instant, exactly like a fold `asOf` it.
 */
export async function withClockAt<T>(
  app: NestFastifyApplication,
  instant: Date,
  request: () => Promise<T>,
): Promise<T> {
  const clock = app.get(Clock);
  const pinned = jest.spyOn(clock, 'now').mockImplementation(() => new Date(instant.getTime()));
  try {
    return await request();
  } finally {
    pinned.mockRestore();
  }
}
