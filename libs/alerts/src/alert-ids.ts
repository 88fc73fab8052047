import { createHash } from 'node:crypto';

import type { AlertKind } from './alert.types.js';

export const ALERT_STREAM_PREFIX = 'alert-';

/**
 * The alert raised for one occurrence of a risk: the same kind, account, subject and occurrence
 * always give the same id, so raising it twice (a replay, a second instance of the service) finds
 * its stream already there. `occurrence` tells apart a risk that comes back (a commitment missed
 * again after a renegotiation, an account silent again): its due date, the silence's start, ...
 */
export function alertIdOf(
  kind: AlertKind,
  accountId: string,
  subject: string | null,
  occurrence: string,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([kind, accountId, subject, occurrence]))
    .digest('base64url')
    .slice(0, 22);
  return `${kind.toLowerCase().replace(/_/g, '-')}-${digest}`;
}

export function alertStreamName(alertId: string): string {
  return `${ALERT_STREAM_PREFIX}${alertId}`;
}
