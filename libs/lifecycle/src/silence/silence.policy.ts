import { effectiveCadenceDays } from '../account/cadence.policy.js';
import { isExited } from '../account/lifecycle-phase.enum.js';
import type { OpenedAccountState } from '../account-state.js';
import { ms } from '../shared/instant.js';
import { DAY_MS } from '../shared/limits.js';

/** Where the silence clock runs from: the last qualifying touch, or openedAt if none. */
export function silenceClockStart(account: OpenedAccountState): string {
  return account.lastQualifyingTouchAt ?? account.openedAt;
}

/** Silent once the clock has run strictly longer than the cadence; exactly the cadence is not. */
export function isPastCadence(account: OpenedAccountState, clockStart: number, now: number): boolean {
  return now - clockStart > effectiveCadenceDays(account) * DAY_MS;
}

/** Whether RecordAccountSilent at `now` records the account going silent. */
export function isDueForSilence(account: OpenedAccountState, now: Date): boolean {
  return (
    !isExited(account.stage) &&
    !account.silent &&
    isPastCadence(account, ms(silenceClockStart(account)), now.getTime())
  );
}

/**
 * A qualifying touch ends a silence when it moves the clock forward and the account, counted
 * from this touch, would no longer be silent at `now`: a backfilled touch from long ago leaves
 * it silent rather than re-engaging it only for it to go silent again on the next check.
 * Returns the whole days without contact it ended, or undefined when it ends nothing.
 */
export function silenceEndedBy(
  account: OpenedAccountState,
  touch: { readonly occurredAt: number; readonly qualifying: boolean },
  now: number,
): number | undefined {
  if (!account.silent || !touch.qualifying) return undefined;
  const clockStart = ms(silenceClockStart(account));
  if (touch.occurredAt <= clockStart || isPastCadence(account, touch.occurredAt, now)) return undefined;
  return Math.floor((touch.occurredAt - clockStart) / DAY_MS);
}
