import { ConfigValidationError } from './config-validation.error.js';
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

describe('RATE_LIMIT_PER_MINUTE', () => {
  it('defaults to 6000 and reads 0 (no limit) up to a million', () => {
    expect(parseConfig({}, cwd).rateLimitPerMinute).toBe(6000);
    expect(parseConfig({ RATE_LIMIT_PER_MINUTE: '0' }, cwd).rateLimitPerMinute).toBe(0);
    expect(parseConfig({ RATE_LIMIT_PER_MINUTE: ' 30 ' }, cwd).rateLimitPerMinute).toBe(30);
    expect(parseConfig({ RATE_LIMIT_PER_MINUTE: '1000000' }, cwd).rateLimitPerMinute).toBe(1_000_000);
  });

  it.each(['-1', '1.5', 'lots', '1000001', '60/s'])(
    'rejects %s, naming the variable and the rule',
    (value) => {
      expect(issuesOf({ RATE_LIMIT_PER_MINUTE: value })).toEqual([
        `RATE_LIMIT_PER_MINUTE: must be an integer from 0 to 1000000 (got "${value}")`,
      ]);
    },
  );
});

describe('CORS_ORIGINS', () => {
  it('is empty by default: no origin is allowed', () => {
    expect(parseConfig({}, cwd).corsOrigins).toEqual([]);
    expect(parseConfig({ CORS_ORIGINS: ' , ' }, cwd).corsOrigins).toEqual([]);
  });

  it('reads origins as browsers send them, dropping empty entries and duplicates', () => {
    expect(
      parseConfig(
        {
          CORS_ORIGINS:
            ' https://App.Example.com/ ,, http://localhost:5173,https://app.example.com:443,https://bücher.example',
        },
        cwd,
      ).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173', 'https://xn--bcher-kva.example']);
  });

  it('names every entry that is not an origin, in one message', () => {
    expect(
      issuesOf({
        CORS_ORIGINS:
          'https://ok.example, *, https://app.example.com/path, ftp://files.example, https://u:p@x.example, app.example.com, https://a.example?x=1',
      }),
    ).toEqual([
      'CORS_ORIGINS: every entry must be an origin: http:// or https://, a host and an optional port, no path ' +
        '(e.g. https://app.example.com); not "*", "https://app.example.com/path", "ftp://files.example", ' +
        '"https://u:p@x.example", "app.example.com", "https://a.example?x=1"',
    ]);
  });

  it('reports a bad CORS_ORIGINS and a bad RATE_LIMIT_PER_MINUTE together', () => {
    expect(issuesOf({ CORS_ORIGINS: '*', RATE_LIMIT_PER_MINUTE: 'x' })).toEqual([
      'RATE_LIMIT_PER_MINUTE: must be an integer from 0 to 1000000 (got "x")',
      'CORS_ORIGINS: every entry must be an origin: http:// or https://, a host and an optional port, no path ' +
        '(e.g. https://app.example.com); not "*"',
    ]);
  });
});
