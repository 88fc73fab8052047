import { isIP } from 'node:net';

/** The outcome of checking one raw environment value against a rule. */
export type RuleResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/**
 * Turns the raw text of one variable into a typed value. `rule` is the sentence shown when
 * the value does not fit ("must be …"), so every error names the rule it broke.
 */
export interface Rule<T> {
  readonly rule: string;
  parse(raw: string): RuleResult<T>;
}

const ok = <T>(value: T): RuleResult<T> => ({ ok: true, value });
const fail: RuleResult<never> = { ok: false };

export function integer(range: { min: number; max: number }): Rule<number> {
  return {
    rule: `must be an integer from ${range.min} to ${range.max}`,
    parse(raw) {
      if (!/^[+-]?\d+$/.test(raw)) return fail;
      const value = Number(raw);
      return Number.isSafeInteger(value) && value >= range.min && value <= range.max ? ok(value) : fail;
    },
  };
}

export function oneOf<const T extends string>(allowed: readonly T[]): Rule<T> {
  return {
    rule: `must be one of ${allowed.join(', ')}`,
    parse: (raw) => ((allowed as readonly string[]).includes(raw) ? ok(raw as T) : fail),
  };
}

/** Any non-empty text (values are trimmed before rules see them). */
export function text(): Rule<string> {
  return { rule: 'must not be empty', parse: (raw) => (raw.length > 0 ? ok(raw) : fail) };
}

export function hostAddress(): Rule<string> {
  const hostname =
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  return {
    rule: 'must be an IP address or a host name',
    parse: (raw) => (isIP(raw) !== 0 || hostname.test(raw) ? ok(raw) : fail),
  };
}

export function startsWith(prefixes: readonly string[]): Rule<string> {
  return {
    rule: `must start with ${prefixes.join(' or ')}`,
    parse: (raw) => (prefixes.some((p) => raw.startsWith(p) && raw.length > p.length) ? ok(raw) : fail),
  };
}

/** An absolute URL whose scheme is one of `protocols` (e.g. ['http:', 'https:']). */
export function url(protocols: readonly string[]): Rule<string> {
  return {
    rule: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    parse(raw) {
      if (!URL.canParse(raw)) return fail;
      return protocols.includes(new URL(raw).protocol) ? ok(raw) : fail;
    },
  };
}

/** Comma-separated values, each checked by `item`; empty entries are ignored. */
export function list<T>(item: Rule<T>): Rule<readonly T[]> {
  return {
    rule: `must be a comma-separated list whose every entry ${item.rule}`,
    parse(raw) {
      const values: T[] = [];
      for (const entry of raw.split(',').map((e) => e.trim())) {
        if (entry === '') continue;
        const result = item.parse(entry);
        if (!result.ok) return fail;
        values.push(result.value);
      }
      return ok(values);
    },
  };
}
