import type { Command } from '../shared/json.js';

/** A system fact, decided at `now`: sent by the scheduler that watches cadences. */
export type RecordAccountSilent = Command<'RecordAccountSilent', { readonly accountId: string }>;
