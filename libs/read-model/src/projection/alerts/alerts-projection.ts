import { ALERT_EVENT_TYPES, ALERT_STREAM_PREFIX, type AlertEventType } from '#alerts';
import { comparePositions, type AllStreamDomainEvent, type Position } from '#eventstore';

import type { ReadModelDb } from '../../database/read-model-database.js';
import { alertNotifications } from '../../schema/index.js';
import { loadProjectionCheckpoint, lockProjection, storeProjectionCheckpoint } from '../checkpoints.js';
import type { CheckpointedHandler } from '../checkpointed-subscriber.js';
import { applyAlertEvent, NOTIFICATION_TYPE } from './apply-alert-event.js';
import { refreshAlertedAccounts } from './refresh-alerted-accounts.js';

export const ALERTS_PROJECTION_NAME = 'alerts-read-model';

const KNOWN_TYPES: ReadonlySet<string> = new Set(ALERT_EVENT_TYPES);

/**
 * Applies `alert-` events to the `alerts` table and appends one `alert_notifications` row per
 * event, with its checkpoint in the same transaction, under the projection's lock: each event
 * takes effect exactly once, however many instances run it and whatever crashes in between.
 * Then refreshes the health of the accounts whose alerts changed.
 */
export class AlertsProjection implements CheckpointedHandler {
  readonly name = ALERTS_PROJECTION_NAME;
  readonly streamNamePrefixes = [ALERT_STREAM_PREFIX];

  async loadCheckpoint(db: ReadModelDb): Promise<Position | undefined> {
    return (await loadProjectionCheckpoint(db, this.name))?.position;
  }

  async applyBatch(
    db: ReadModelDb,
    events: readonly AllStreamDomainEvent[],
    checkpoint: Position,
  ): Promise<number> {
    if (events.length === 0) return 0;
    return db.transaction(async (tx) => {
      await lockProjection(tx, this.name);
      const stored = await loadProjectionCheckpoint(tx, this.name);
      // Another instance may have applied some of them while this one waited for the lock.
      const fresh = events.filter(
        (event) => stored === undefined || comparePositions(event.position, stored.position) > 0,
      );
      if (fresh.length === 0) return 0;
      let applied = 0;
      const touched = new Set<string>();
      for (const event of fresh) {
        if (!KNOWN_TYPES.has(event.type)) continue;
        const accountId = await applyAlertEvent(tx, event);
        if (accountId === undefined) continue;
        await tx
          .insert(alertNotifications)
          .values({
            eventId: event.id,
            alertId: String(event.data.alertId),
            type: NOTIFICATION_TYPE[event.type as AlertEventType],
            recordedAt: event.created,
          })
          .onConflictDoNothing();
        touched.add(accountId);
        applied += 1;
      }
      await refreshAlertedAccounts(tx, [...touched]);
      await storeProjectionCheckpoint(tx, this.name, checkpoint, applied, fresh[fresh.length - 1].created);
      return applied;
    });
  }
}
