import type { Event } from '../shared/json.js';

/** Recorded by the system; `occurredAt` is when it noticed. */
export type AccountWentSilent = Event<
  'AccountWentSilent',
  {
    readonly accountId: string;
    /** Where the silence clock started: the last qualifying touch, or openedAt. */
    readonly silentSince: string;
    /** The cadence in force when it went silent. */
    readonly cadenceDays: number;
    readonly occurredAt: string;
  }
>;

/** Follows the TouchpointRecorded of the qualifying touch that ended the silence. */
export type AccountReEngaged = Event<
  'AccountReEngaged',
  {
    readonly accountId: string;
    readonly touchpointId: string;
    readonly silentSince: string;
    /** Whole days from the previous qualifying contact (or openedAt) to this touch. */
    readonly silentForDays: number;
    /** = the touchpoint's occurredAt */
    readonly occurredAt: string;
  }
>;
