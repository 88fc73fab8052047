import { ConfigValidationError } from './config-validation.error.js';
import { MIN_METRICS_TOKEN_LENGTH } from './metrics-config.js';
import { parseConfig } from './parse-config.js';

const cwd = '/srv/app';

function issuesOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.issues.map((issue) => issue.message);
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

const RULE =
  `METRICS_TOKEN: must be at least ${MIN_METRICS_TOKEN_LENGTH} characters of letters, digits and ` +
  '- . _ ~ + / (a bearer token)';

describe('METRICS_TOKEN', () => {
  it('is unset by default: /metrics is open', () => {
    expect(parseConfig({}, cwd).metricsToken).toBeUndefined();
    expect(parseConfig({ METRICS_TOKEN: '  ' }, cwd).metricsToken).toBeUndefined();
  });

  it('reads a bearer token, trimmed', () => {
    const token = 'scrape-Token_0123456789.~+/==';
    expect(parseConfig({ METRICS_TOKEN: ` ${token} ` }, cwd).metricsToken).toBe(token);
  });

  it.each([
    ['a short token', 'x'.repeat(MIN_METRICS_TOKEN_LENGTH - 1)],
    ['a token with a space', 'scrape token 0123456789'],
    ['a token with a character a header cannot carry', 'scrape-token-0123456789\u00e9'],
    ['padding in the middle', 'scrape=token-0123456789'],
  ])('refuses %s, naming the variable and the rule but not the value', (_what, value) => {
    const issues = issuesOf({ METRICS_TOKEN: value });
    expect(issues).toEqual([RULE]);
    expect(issues[0]).not.toContain(value);
  });
});
