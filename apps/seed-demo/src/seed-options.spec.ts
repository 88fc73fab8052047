import { parseCommandLine, type CommandLineOptions } from './seed-options.js';

const NOW = new Date('2026-05-01T15:30:00Z');
const KEY = { SEED_TOKEN: 'k'.repeat(40) };

function run(argv: string[], env: Record<string, string | undefined> = KEY): CommandLineOptions {
  const parsed = parseCommandLine(argv, env, NOW);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}
function problems(argv: string[], env: Record<string, string | undefined> = KEY): readonly string[] {
  const parsed = parseCommandLine(argv, env, NOW);
  if (parsed.kind !== 'invalid') throw new Error(`expected problems, got ${JSON.stringify(parsed)}`);
  return parsed.problems;
}

describe('seed:demo command line', () => {
  it('defaults to 300 accounts, 30,000 touchpoints, the local service and the start of today', () => {
    expect(run([])).toEqual({
      url: 'http://127.0.0.1:3000',
      token: KEY.SEED_TOKEN,
      accounts: 300,
      touchpoints: 30_000,
      seed: 'demo',
      concurrency: 8,
      asOf: new Date('2026-05-01T00:00:00Z'),
      idPrefix: 'demo',
    });
  });

  it('takes every option, the token from --token before SEED_TOKEN', () => {
    expect(
      run([
        '--url',
        'http://127.0.0.1:3999',
        '--token',
        'Bearer abc',
        '--accounts',
        '10000',
        '--touchpoints',
        '1_000_000',
        '--seed',
        '42',
        '--concurrency',
        '8',
        '--as-of',
        '2026-04-30T12:00:00+02:00',
        '--id-prefix',
        'acme',
      ]),
    ).toEqual({
      url: 'http://127.0.0.1:3999',
      token: 'Bearer abc',
      accounts: 10_000,
      touchpoints: 1_000_000,
      seed: '42',
      concurrency: 8,
      asOf: new Date('2026-04-30T10:00:00Z'),
      idPrefix: 'acme',
    });
  });

  it('scales the default touchpoints with the accounts, or takes them per account', () => {
    expect(run(['--accounts', '10000']).touchpoints).toBe(1_000_000);
    expect(run(['--accounts', '20', '--touchpoints-per-account', '50']).touchpoints).toBe(1_000);
  });

  it('names each bad option and its rule', () => {
    expect(
      problems(
        [
          '--url',
          'ftp://x',
          '--accounts',
          'many',
          '--concurrency',
          '0',
          '--as-of',
          '2026-05-01',
          '--touchpoints',
          '10',
          '--touchpoints-per-account',
          '10',
        ],
        {},
      ),
    ).toEqual([
      '--url must be an http:// or https:// address (got "ftp://x")',
      expect.stringMatching(/^--token \(or SEED_TOKEN\) is required/),
      '--accounts must be a whole number (got "many")',
      '--touchpoints and --touchpoints-per-account cannot both be given',
      '--concurrency must be from 1 to 64',
      expect.stringMatching(/^--as-of must be an ISO-8601 time with a zone/),
      expect.stringMatching(/^--touchpoints must be a whole number from \d+ \(for 300 accounts\)/),
    ]);
    expect(problems(['--accounts', '5'])).toEqual([
      expect.stringMatching(/^--accounts must be a whole number from 12 to 100000/),
    ]);
    expect(problems(['--id-prefix', '_x'])).toEqual([expect.stringMatching(/^--id-prefix must start with/)]);
  });

  it('keeps --as-of between six days ago and now', () => {
    expect(problems(['--as-of', '2026-05-01T16:00:00Z'])).toEqual(['--as-of must not be in the future']);
    expect(problems(['--as-of', '2026-04-20T00:00:00Z'])).toEqual([
      expect.stringMatching(/^--as-of must be within the last 6 days/),
    ]);
    expect(run(['--as-of', '2026-04-26T00:00:00Z']).asOf).toEqual(new Date('2026-04-26T00:00:00Z'));
  });

  it('refuses unknown options and answers --help', () => {
    expect(problems(['--acounts', '3'])).toEqual([expect.stringContaining("'--acounts'")]);
    expect(parseCommandLine(['--help'], {}, NOW)).toEqual({ kind: 'help' });
  });
});
