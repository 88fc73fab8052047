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

describe('parseConfig', () => {
  it('uses the defaults when nothing is set', () => {
    expect(parseConfig({}, cwd)).toEqual({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/app/data',
      eventStoreConnectionString: undefined,
      databaseUrl: undefined,
      logLevel: 'info',
      roles: ['api', 'worker'],
      httpBodyLimitBytes: 8 * 1024 * 1024,
      rateLimitPerMinute: 6000,
      corsOrigins: [],
      accountViewCacheMb: 128,
      riskScanIntervalMs: 5000,
      alertWebhookUrls: [],
      alertWebhookSecret: undefined,
      alertWebhookTimeoutMs: 5000,
    });
  });

  it('reads the roles of the process, and refuses unknown or no roles', () => {
    expect(parseConfig({ ROLES: 'api' }, cwd).roles).toEqual(['api']);
    expect(parseConfig({ ROLES: 'worker' }, cwd).roles).toEqual(['worker']);
    expect(parseConfig({ ROLES: ' worker , api,api' }, cwd).roles).toEqual(['worker', 'api']);
    expect(issuesOf({ ROLES: 'api,scheduler' })).toEqual([
      'ROLES: must be a comma-separated list whose every entry must be one of api, worker (got "api,scheduler")',
    ]);
    expect(issuesOf({ ROLES: ',' })).toEqual(['ROLES: must name at least one of api, worker']);
  });

  it('still accepts the former name of the worker role, projector, as worker', () => {
    expect(parseConfig({ ROLES: 'projector' }, cwd).roles).toEqual(['worker']);
    expect(parseConfig({ ROLES: 'api,projector,worker' }, cwd).roles).toEqual(['api', 'worker']);
    // Only the listed former names: nothing inherited from Object.prototype passes for one.
    expect(issuesOf({ ROLES: 'constructor' })).toEqual([
      'ROLES: must be a comma-separated list whose every entry must be one of api, worker (got "constructor")',
    ]);
  });

  it('reads every variable', () => {
    expect(
      parseConfig(
        {
          NODE_ENV: 'test',
          PORT: '8080',
          HOST: 'api.internal',
          DATA_DIR: '/var/lib/lifecycle',
          EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false',
          DATABASE_URL: 'postgres://lifecycle:secret@db.internal:5432/lifecycle',
          LOG_LEVEL: 'debug',
          HTTP_BODY_LIMIT_BYTES: '1048576',
          RATE_LIMIT_PER_MINUTE: '120',
          CORS_ORIGINS: 'https://app.example.com',
          ACCOUNT_VIEW_CACHE_MB: '0',
          RISK_SCAN_INTERVAL_MS: '250',
          ALERT_WEBHOOK_URLS: 'https://hooks.example.com/lifecycle, http://10.0.0.7:8080/alerts',
          ALERT_WEBHOOK_SECRET: 's'.repeat(16),
          ALERT_WEBHOOK_TIMEOUT_MS: '2500',
        },
        cwd,
      ),
    ).toEqual({
      nodeEnv: 'test',
      port: 8080,
      host: 'api.internal',
      dataDir: '/var/lib/lifecycle',
      eventStoreConnectionString: 'esdb://127.0.0.1:2113?tls=false',
      databaseUrl: 'postgres://lifecycle:secret@db.internal:5432/lifecycle',
      logLevel: 'debug',
      roles: ['api', 'worker'],
      httpBodyLimitBytes: 1048576,
      rateLimitPerMinute: 120,
      corsOrigins: ['https://app.example.com'],
      accountViewCacheMb: 0,
      riskScanIntervalMs: 250,
      alertWebhookUrls: ['https://hooks.example.com/lifecycle', 'http://10.0.0.7:8080/alerts'],
      alertWebhookSecret: 's'.repeat(16),
      alertWebhookTimeoutMs: 2500,
    });
  });

  describe('alert webhooks', () => {
    const secret = 'k'.repeat(16);

    it('drops empty entries and duplicate URLs, keeping the order', () => {
      const config = parseConfig(
        {
          ALERT_WEBHOOK_URLS: ' https://b.example/h ,, http://a.example/h,https://b.example/h,',
          ALERT_WEBHOOK_SECRET: secret,
        },
        cwd,
      );
      expect(config.alertWebhookUrls).toEqual(['https://b.example/h', 'http://a.example/h']);
    });

    it('accepts a secret without URLs (nothing is sent)', () => {
      expect(parseConfig({ ALERT_WEBHOOK_SECRET: secret }, cwd)).toMatchObject({
        alertWebhookUrls: [],
        alertWebhookSecret: secret,
      });
    });

    it('names the bad URL entries by position without echoing them (they may hold a token)', () => {
      expect(
        issuesOf({
          ALERT_WEBHOOK_URLS:
            'https://ok.example/h, ftp://files.example/token123, hooks.example.com/x?token=abc',
          ALERT_WEBHOOK_SECRET: secret,
        }),
      ).toEqual([
        'ALERT_WEBHOOK_URLS: entries 2, 3 must be an absolute URL starting with http:// or https://',
      ]);
      expect(issuesOf({ ALERT_WEBHOOK_URLS: '/relative/path', ALERT_WEBHOOK_SECRET: secret })).toEqual([
        'ALERT_WEBHOOK_URLS: entry 1 must be an absolute URL starting with http:// or https://',
      ]);
    });

    it('requires a secret when URLs are set', () => {
      expect(issuesOf({ ALERT_WEBHOOK_URLS: 'https://hooks.example.com/a' })).toEqual([
        'ALERT_WEBHOOK_SECRET: is required when ALERT_WEBHOOK_URLS is set (at least 16 characters)',
      ]);
    });

    it('refuses a short secret without echoing it, one message for the variable', () => {
      expect(
        issuesOf({ ALERT_WEBHOOK_URLS: 'https://hooks.example.com/a', ALERT_WEBHOOK_SECRET: 'hunter2' }),
      ).toEqual(['ALERT_WEBHOOK_SECRET: must be at least 16 characters']);
    });

    it('reports a bad URL list and a missing secret together', () => {
      expect(issuesOf({ ALERT_WEBHOOK_URLS: 'nope' })).toEqual([
        'ALERT_WEBHOOK_URLS: entry 1 must be an absolute URL starting with http:// or https://',
        'ALERT_WEBHOOK_SECRET: is required when ALERT_WEBHOOK_URLS is set (at least 16 characters)',
      ]);
    });

    it.each(['99', '120001', '5s'])('rejects ALERT_WEBHOOK_TIMEOUT_MS=%s', (value) => {
      expect(issuesOf({ ALERT_WEBHOOK_TIMEOUT_MS: value })).toEqual([
        `ALERT_WEBHOOK_TIMEOUT_MS: must be an integer from 100 to 120000 (got "${value}")`,
      ]);
    });
  });

  it('binds to every interface by default in production, and to loopback otherwise', () => {
    // Production refuses to start without a credential.
    const credential = { AUTH_JWT_SECRET: 'x'.repeat(32) };
    expect(parseConfig({ NODE_ENV: 'production', ...credential }, cwd).host).toBe('0.0.0.0');
    expect(parseConfig({ NODE_ENV: 'test' }, cwd).host).toBe('127.0.0.1');
    expect(parseConfig({ NODE_ENV: 'production', HOST: '10.0.0.5', ...credential }, cwd).host).toBe(
      '10.0.0.5',
    );
  });

  it('resolves a relative DATA_DIR against the working directory', () => {
    expect(parseConfig({ DATA_DIR: 'var/data' }, cwd).dataDir).toBe('/srv/app/var/data');
  });

  it('accepts the discovery form of the event-store connection string', () => {
    const config = parseConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb+discover://cluster.local:2113' }, cwd);
    expect(config.eventStoreConnectionString).toBe('esdb+discover://cluster.local:2113');
  });

  it('treats empty and blank values as unset, and trims the others', () => {
    expect(parseConfig({ PORT: '', LOG_LEVEL: '  ', EVENTSTORE_CONNECTION_STRING: '' }, cwd)).toMatchObject({
      port: 3000,
      logLevel: 'info',
      eventStoreConnectionString: undefined,
    });
    expect(parseConfig({ PORT: ' 4000 ' }, cwd).port).toBe(4000);
  });

  it('accepts the port bounds', () => {
    expect(parseConfig({ PORT: '1' }, cwd).port).toBe(1);
    expect(parseConfig({ PORT: '65535' }, cwd).port).toBe(65535);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(parseConfig({}, cwd))).toBe(true);
  });

  it.each([
    ['abc', 'PORT: must be an integer from 1 to 65535 (got "abc")'],
    ['0', 'PORT: must be an integer from 1 to 65535 (got "0")'],
    ['65536', 'PORT: must be an integer from 1 to 65535 (got "65536")'],
    ['80.5', 'PORT: must be an integer from 1 to 65535 (got "80.5")'],
    ['-1', 'PORT: must be an integer from 1 to 65535 (got "-1")'],
    ['1e3', 'PORT: must be an integer from 1 to 65535 (got "1e3")'],
  ])('rejects PORT=%s', (value, message) => {
    expect(issuesOf({ PORT: value })).toEqual([message]);
  });

  it('rejects a HOST that is neither an address nor a host name', () => {
    expect(issuesOf({ HOST: 'not a host' })).toEqual([
      'HOST: must be an IP address or a host name (got "not a host")',
    ]);
    expect(issuesOf({ HOST: 'http://example.com' })).toEqual([
      'HOST: must be an IP address or a host name (got "http://example.com")',
    ]);
  });

  it('accepts IPv6 hosts', () => {
    expect(parseConfig({ HOST: '::1' }, cwd).host).toBe('::1');
  });

  it('rejects an unknown NODE_ENV', () => {
    expect(issuesOf({ NODE_ENV: 'staging' })).toEqual([
      'NODE_ENV: must be one of development, production, test (got "staging")',
    ]);
  });

  it('rejects an unknown LOG_LEVEL', () => {
    expect(issuesOf({ LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ]);
  });

  it.each(['http://127.0.0.1:2113', 'kurrentdb://127.0.0.1:2113', 'esdb://'])(
    'rejects EVENTSTORE_CONNECTION_STRING=%s',
    (value) => {
      expect(issuesOf({ EVENTSTORE_CONNECTION_STRING: value })).toEqual([
        `EVENTSTORE_CONNECTION_STRING: must start with esdb:// or esdb+discover:// (got "${value}")`,
      ]);
    },
  );

  it('accepts both PostgreSQL URL schemes for DATABASE_URL', () => {
    expect(parseConfig({ DATABASE_URL: 'postgresql://u@localhost/db' }, cwd).databaseUrl).toBe(
      'postgresql://u@localhost/db',
    );
  });

  it.each(['mysql://u:hunter2@localhost/db', 'not a url:hunter2', 'https://u:hunter2@localhost/db'])(
    'rejects DATABASE_URL=%s without echoing it (it may hold a password)',
    (value) => {
      expect(issuesOf({ DATABASE_URL: value })).toEqual([
        'DATABASE_URL: must be a URL starting with postgres:// or postgresql://',
      ]);
    },
  );

  it('reports every bad variable at once, one message each, naming the variable', () => {
    let caught: unknown;
    try {
      parseConfig(
        { PORT: 'abc', LOG_LEVEL: 'loud', EVENTSTORE_CONNECTION_STRING: 'tcp://x', HOST: 'a b' },
        cwd,
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const error = caught as ConfigValidationError;
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      'PORT',
      'HOST',
      'EVENTSTORE_CONNECTION_STRING',
      'LOG_LEVEL',
    ]);
    expect(error.message).toBe(
      [
        'Invalid configuration:',
        '  PORT: must be an integer from 1 to 65535 (got "abc")',
        '  HOST: must be an IP address or a host name (got "a b")',
        '  EVENTSTORE_CONNECTION_STRING: must start with esdb:// or esdb+discover:// (got "tcp://x")',
        '  LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      ].join('\n'),
    );
  });

  it('ignores variables it does not know', () => {
    expect(() => parseConfig({ SOMETHING_ELSE: '!!' }, cwd)).not.toThrow();
  });
});
