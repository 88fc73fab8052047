import type { AccountEvent, AccountEventType } from '#lifecycle';

import type { ReadModelTx } from '../database/read-model-database.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';

/** What an applier gets besides the event's data: the transaction, the tables, the record. */
export interface ApplyContext {
  readonly tx: ReadModelTx;
  readonly tables: ReadModelTables;
  readonly eventId: string;
  /** When the event store stored the event. */
  readonly recordedAt: Date;
}

export type EventData<T extends AccountEventType> = Extract<AccountEvent, { type: T }>['data'];

/**
 * Writes one event's facts into the tables. Derived columns (phase, effective cadence,
 * silence deadline, commitment counters, health) are left to `refreshAccount`, once per
 * account and batch. Runs at most once per event: the timeline insert gates it.
 */
export type Applier<T extends AccountEventType> = (ctx: ApplyContext, data: EventData<T>) => Promise<void>;

export const at = (iso: string): Date => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an instant: ${JSON.stringify(iso)}`);
  return date;
};
