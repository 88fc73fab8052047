import { parseArgs } from 'node:util';

import { DAY_MS } from '#lifecycle';

import { checkDemoOptions, type DemoOptions } from './demo-portfolio.js';

export interface CommandLineOptions extends DemoOptions {
  readonly url: string;
  readonly token: string;
  readonly concurrency: number;
}

export type ParsedCommandLine =
  | { readonly kind: 'help' }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] }
  | { readonly kind: 'run'; readonly options: CommandLineOptions };

export const DEFAULTS = {
  url: 'http://127.0.0.1:3000',
  accounts: 300,
  touchpointsPerAccount: 100,
  seed: 'demo',
  concurrency: 8,
  idPrefix: 'demo',
} as const;

/**
 * How far `--as-of` may lag behind the real clock: renegotiated commitments get dates at least
 * 7 days after it, and the service only accepts new due dates in the future.
 */
const MAX_AS_OF_AGE_DAYS = 6;
const MAX_CONCURRENCY = 64;

export const USAGE = `Loads a demo portfolio into a running service through its REST ingestion API.

Usage: npm run seed:demo -- [options]

  --url URL                     service address (default ${DEFAULTS.url})
  --token KEY                   an integration or admin API key or JWT (or env SEED_TOKEN)
  --accounts N                  accounts to load (default ${DEFAULTS.accounts})
  --touchpoints N               touchpoints in total (default ${DEFAULTS.touchpointsPerAccount} per account)
  --touchpoints-per-account N   or per account instead of a total
  --seed TEXT                   what the portfolio is generated from (default "${DEFAULTS.seed}")
  --concurrency N               requests in flight at once (default ${DEFAULTS.concurrency})
  --as-of ISO-TIME              reference time the history runs up to (default: today 00:00 UTC);
                                pass the one a run printed to repeat that run on a later day
  --id-prefix TEXT              account ids are <prefix>-0001, ... (default "${DEFAULTS.idPrefix}")
  --help                        this text

The same options load the same portfolio: a re-run reports every item as a duplicate.`;

/** Reads the command line (and SEED_TOKEN); every problem is named with its option and rule. */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
): ParsedCommandLine {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        accounts: { type: 'string' },
        touchpoints: { type: 'string' },
        'touchpoints-per-account': { type: 'string' },
        seed: { type: 'string' },
        concurrency: { type: 'string' },
        'as-of': { type: 'string' },
        'id-prefix': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    return { kind: 'invalid', problems: [(error as Error).message] };
  }
  if (values.help) return { kind: 'help' };

  const problems: string[] = [];
  const text = (name: string) => values[name] as string | undefined;
  const whole = (name: string, fallback: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw.replaceAll('_', '').replaceAll(',', ''))) {
      problems.push(`--${name} must be a whole number (got "${raw}")`);
      return fallback;
    }
    return Number(raw.replaceAll('_', '').replaceAll(',', ''));
  };

  const url = text('url') ?? DEFAULTS.url;
  if (!/^https?:\/\/[^/\s]+/.test(url) || !URL.canParse(url)) {
    problems.push(`--url must be an http:// or https:// address (got "${url}")`);
  }
  const token = (text('token') ?? env.SEED_TOKEN ?? '').trim();
  if (token === '') {
    problems.push(
      '--token (or SEED_TOKEN) is required: an integration or admin key, e.g. the development key npm start prints',
    );
  }

  const accounts = whole('accounts', DEFAULTS.accounts);
  if (text('touchpoints') !== undefined && text('touchpoints-per-account') !== undefined) {
    problems.push('--touchpoints and --touchpoints-per-account cannot both be given');
  }
  const perAccount = whole('touchpoints-per-account', DEFAULTS.touchpointsPerAccount);
  const touchpoints = whole('touchpoints', accounts * perAccount);

  const seed = text('seed') ?? DEFAULTS.seed;
  if (seed.length === 0 || seed.length > 100) problems.push('--seed must be 1 to 100 characters');

  const concurrency = whole('concurrency', DEFAULTS.concurrency);
  if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    problems.push(`--concurrency must be from 1 to ${MAX_CONCURRENCY}`);
  }

  const asOf = asOfFrom(text('as-of'), now, problems);
  const idPrefix = text('id-prefix') ?? DEFAULTS.idPrefix;

  const demo: DemoOptions = { seed, accounts, touchpoints, asOf, idPrefix };
  for (const problem of checkDemoOptions(demo)) {
    // The generator names its options in camelCase; the command line in kebab-case.
    problems.push(
      `--${problem.replace(/^(\w+)/, (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))}`,
    );
  }
  if (problems.length > 0) return { kind: 'invalid', problems: [...new Set(problems)] };
  return { kind: 'run', options: { ...demo, url, token, concurrency } };
}

function asOfFrom(raw: string | undefined, now: Date, problems: string[]): Date {
  const startOfDay = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  if (raw === undefined) return startOfDay;
  const asOf = new Date(raw);
  if (!/T.*(Z|[+-]\d\d:?\d\d)$/i.test(raw) || Number.isNaN(asOf.getTime())) {
    problems.push(`--as-of must be an ISO-8601 time with a zone, e.g. 2026-05-01T00:00:00Z (got "${raw}")`);
    return startOfDay;
  }
  if (asOf.getTime() > now.getTime()) problems.push('--as-of must not be in the future');
  if (asOf.getTime() < now.getTime() - MAX_AS_OF_AGE_DAYS * DAY_MS) {
    problems.push(
      `--as-of must be within the last ${MAX_AS_OF_AGE_DAYS} days (renegotiated commitments get dates a week after it, ` +
        'and the service takes only future dates)',
    );
  }
  return asOf;
}
