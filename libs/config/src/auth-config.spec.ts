import { generateKeyPairSync } from 'node:crypto';

import { ConfigValidationError } from './config-validation.error.js';
import { parseApiKeys } from './auth-config.js';
import { parseConfig } from './parse-config.js';

const cwd = '/srv/app';
const SECRET_A = 'a'.repeat(32);
const SECRET_B = 'b-secret-that-is-long-enough-0123456789';

function issuesOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.issues.map((issue) => issue.message);
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

const pem = (type: 'rsa' | 'ec', options: object) =>
  generateKeyPairSync(type as 'rsa', options as { modulusLength: number }).publicKey.export({
    type: 'spki',
    format: 'pem',
  }) as string;

describe('AUTH_API_KEYS', () => {
  it('reads role:principalId:secret entries, trimming and skipping empty ones', () => {
    const config = parseConfig(
      { AUTH_API_KEYS: ` integration:crm-sync:${SECRET_A} ,, admin:ops:${SECRET_B},` },
      cwd,
    );
    expect(config.auth).toEqual({
      apiKeys: [
        { role: 'integration', principalId: 'crm-sync', secret: SECRET_A },
        { role: 'admin', principalId: 'ops', secret: SECRET_B },
      ],
      jwt: undefined,
    });
    expect(Object.isFrozen(config.auth)).toBe(true);
    expect(Object.isFrozen(config.auth!.apiKeys[0])).toBe(true);
  });

  it('accepts every role and secrets containing colons', () => {
    const roles = ['integration', 'account_manager', 'leader', 'admin'];
    const raw = roles.map((role, i) => `${role}:p${i}:${SECRET_A}:${i}`).join(',');
    expect(parseApiKeys(raw)).toEqual({
      ok: true,
      value: roles.map((role, i) => ({ role, principalId: `p${i}`, secret: `${SECRET_A}:${i}` })),
    });
  });

  it.each([
    ['a bare secret', SECRET_A, 'entry 1 must have the form role:principalId:secret'],
    ['a missing secret', 'admin:ops', 'entry 1 must have the form role:principalId:secret'],
    [
      'an unknown role',
      `root:ops:${SECRET_A}`,
      'entry 1: role must be one of integration, account_manager, leader, admin',
    ],
    [
      'a role in the wrong case',
      `Admin:ops:${SECRET_A}`,
      'entry 1: role must be one of integration, account_manager, leader, admin',
    ],
    ['an empty principal id', `admin::${SECRET_A}`, 'entry 1: principalId must not be empty'],
    ['a blank principal id', `admin: :${SECRET_A}`, 'entry 1: principalId must not be empty'],
    ['a short secret', `admin:ops:${'s'.repeat(31)}`, 'entry 1: secret must be at least 32 characters'],
    ['an empty secret', 'admin:ops:', 'entry 1: secret must be at least 32 characters'],
    ['whitespace in the secret', `admin:ops:${SECRET_A} x`, 'entry 1: secret must not contain whitespace'],
    [
      'a secret shaped like a JWT',
      `admin:ops:${'a'.repeat(12)}.${'b'.repeat(12)}.${'c'.repeat(12)}`,
      'entry 1: secret must not have three dot-separated parts (it would be taken for a JWT)',
    ],
    ['nothing but commas', ' , ,', 'must list at least one role:principalId:secret entry'],
  ])('rejects %s, naming the variable and the rule but not the secret', (_what, raw, problem) => {
    const issues = issuesOf({ AUTH_API_KEYS: raw });
    expect(issues).toEqual([`AUTH_API_KEYS: ${problem}`]);
    for (const part of raw.split(':').filter((p) => p.length >= 12)) expect(issues[0]).not.toContain(part);
  });

  it('rejects a secret used twice, naming both entries', () => {
    expect(
      issuesOf({ AUTH_API_KEYS: `admin:a:${SECRET_A},leader:b:${SECRET_B},integration:c:${SECRET_A}` }),
    ).toEqual(['AUTH_API_KEYS: entry 3: secret must be unique (entry 1 has the same one)']);
  });

  it('lists every problem of every entry in one message', () => {
    const raw = `admin:ops:${SECRET_A},nobody::short,${SECRET_B}`;
    const issues = issuesOf({ AUTH_API_KEYS: raw });
    expect(issues).toEqual([
      'AUTH_API_KEYS: entry 2: role must be one of integration, account_manager, leader, admin; ' +
        'entry 2: principalId must not be empty; entry 2: secret must be at least 32 characters; ' +
        'entry 3 must have the form role:principalId:secret',
    ]);
    expect(issues.join('\n')).not.toContain(SECRET_A);
    expect(issues.join('\n')).not.toContain(SECRET_B);
    expect(issues.join('\n')).not.toContain('short');
  });
});

describe('AUTH_JWT_*', () => {
  it('reads an HS256 secret with issuer and audience', () => {
    const config = parseConfig(
      {
        AUTH_JWT_SECRET: SECRET_B,
        AUTH_JWT_ISSUER: 'https://id.example.com/',
        AUTH_JWT_AUDIENCE: 'lifecycle',
      },
      cwd,
    );
    expect(config.auth).toEqual({
      apiKeys: [],
      jwt: { algorithm: 'HS256', secret: SECRET_B, issuer: 'https://id.example.com/', audience: 'lifecycle' },
    });
  });

  it('rejects a short HS256 secret without showing it', () => {
    expect(issuesOf({ AUTH_JWT_SECRET: 'too-short-secret' })).toEqual([
      'AUTH_JWT_SECRET: must be at least 32 characters (an HS256 key of 256 bits or more)',
    ]);
  });

  it('reads an RSA public key as RS256 and an EC P-256 key as ES256', () => {
    const rsa = pem('rsa', { modulusLength: 2048 });
    expect(parseConfig({ AUTH_JWT_PUBLIC_KEY: rsa }, cwd).auth!.jwt).toEqual({
      algorithm: 'RS256',
      publicKeyPem: rsa,
      issuer: undefined,
      audience: undefined,
    });
    const ec = pem('ec', { namedCurve: 'P-256' });
    expect(parseConfig({ AUTH_JWT_PUBLIC_KEY: ec }, cwd).auth!.jwt).toMatchObject({
      algorithm: 'ES256',
      publicKeyPem: ec,
    });
  });

  it('takes literal \\n in a one-line PEM as line breaks', () => {
    const ec = pem('ec', { namedCurve: 'P-256' });
    const oneLine = ec.trim().replace(/\n/g, '\\n');
    expect(parseConfig({ AUTH_JWT_PUBLIC_KEY: oneLine }, cwd).auth!.jwt).toMatchObject({
      algorithm: 'ES256',
      publicKeyPem: ec,
    });
  });

  it.each([
    ['text', 'not a key'],
    ['a short RSA key', pem('rsa', { modulusLength: 1024 })],
    ['a P-384 key', pem('ec', { namedCurve: 'P-384' })],
    [
      'a private key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }) as string,
    ],
  ])('rejects %s as AUTH_JWT_PUBLIC_KEY without echoing it', (_what, value) => {
    const issues = issuesOf({ AUTH_JWT_PUBLIC_KEY: value });
    expect(issues).toEqual([
      'AUTH_JWT_PUBLIC_KEY: must be a PEM public key: RSA of 2048 bits or more (RS256) or EC P-256 (ES256)',
    ]);
  });

  it('refuses a secret and a public key together', () => {
    expect(
      issuesOf({ AUTH_JWT_SECRET: SECRET_A, AUTH_JWT_PUBLIC_KEY: pem('ec', { namedCurve: 'P-256' }) }),
    ).toEqual(['AUTH_JWT_SECRET: must not be set together with AUTH_JWT_PUBLIC_KEY']);
  });

  it('refuses an issuer or audience without a key to check tokens with', () => {
    expect(issuesOf({ AUTH_JWT_ISSUER: 'https://id.example.com/', AUTH_JWT_AUDIENCE: 'x' })).toEqual([
      'AUTH_JWT_ISSUER: needs AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY',
      'AUTH_JWT_AUDIENCE: needs AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY',
    ]);
    expect(issuesOf({ AUTH_API_KEYS: `admin:ops:${SECRET_A}`, AUTH_JWT_AUDIENCE: 'x' })).toEqual([
      'AUTH_JWT_AUDIENCE: needs AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY',
    ]);
  });
});

describe('credentials and NODE_ENV', () => {
  it('leaves auth undefined when nothing is configured outside production', () => {
    expect(parseConfig({}, cwd).auth).toBeUndefined();
    expect(parseConfig({ NODE_ENV: 'test', AUTH_API_KEYS: ' ' }, cwd).auth).toBeUndefined();
  });

  it('refuses production without any credential, with a clear message', () => {
    expect(issuesOf({ NODE_ENV: 'production' })).toEqual([
      'AUTH_API_KEYS: at least one credential is required when NODE_ENV is production: set AUTH_API_KEYS, ' +
        'AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY (the development key is never made in production)',
    ]);
  });

  it('accepts production with any one credential', () => {
    expect(
      parseConfig({ NODE_ENV: 'production', AUTH_API_KEYS: `admin:ops:${SECRET_A}` }, cwd).auth,
    ).toBeDefined();
    expect(parseConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET_A }, cwd).auth).toBeDefined();
    expect(
      parseConfig({ NODE_ENV: 'production', AUTH_JWT_PUBLIC_KEY: pem('ec', { namedCurve: 'P-256' }) }, cwd)
        .auth,
    ).toBeDefined();
  });

  it('reports an invalid credential in production as invalid, not as missing', () => {
    expect(issuesOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'short' })).toEqual([
      'AUTH_JWT_SECRET: must be at least 32 characters (an HS256 key of 256 bits or more)',
    ]);
  });
});
