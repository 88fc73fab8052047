import type { AccountEvent, AccountEventType } from '#lifecycle';

import type { ReadModelTx } from '../database/read-model-database.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';

/** What appliers write with: the transaction and the tables. */
export interface ApplyContext {
  readonly tx: ReadModelTx;
  readonly tables: ReadModelTables;
}

export type EventData<T extends AccountEventType> = Extract<AccountEvent, { type: T }>['data'];

/** One event handed to an applier: its data and its record. */
export interface AppliedEvent<T extends AccountEventType> {
  readonly data: EventData<T>;
  readonly eventId: string;
  /** When the event store stored the event. */
  readonly recordedAt: Date;
}

/**
 * Writes the facts of events of one type into the tables, in a fixed number of statements
 * however many there are. The events are each of a different account (touchpoints excepted:
 * several of one account come in their order), so that applying them together is applying them
 * one after the other. Derived columns (phase, effective cadence, silence deadline, commitment
 * counters, health) are left to `refreshAccounts`, once per account and batch. Runs at most once
 * per event: the timeline insert gates it.
 */
export type Applier<T extends AccountEventType> = (
  ctx: ApplyContext,
  events: readonly AppliedEvent<T>[],
) => Promise<void>;

export const at = (iso: string): Date => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an instant: ${JSON.stringify(iso)}`);
  return date;
};
