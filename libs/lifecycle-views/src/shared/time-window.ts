import { DAY_MS } from '#lifecycle';

/**
 * Whether `at` lies in the window (now − windowDays, now]: an instant exactly `windowDays`
 * old has left it, `now` itself is in it, and anything after `now` is not known yet.
 */
export function isInWindow(at: Date, now: Date, windowDays: number): boolean {
  const t = at.getTime();
  const end = now.getTime();
  return t > end - windowDays * DAY_MS && t <= end;
}

/** Whole days from `from` to `to`, rounded down; 0 when `from` is later (clock skew). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

/** Days for a human: whole numbers as is, otherwise one decimal ("12", "22.5"). */
export function formatDays(ms: number): string {
  const days = Math.round((ms / DAY_MS) * 10) / 10;
  return Number.isInteger(days) ? String(days) : days.toFixed(1);
}

export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
