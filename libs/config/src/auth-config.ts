import { createPublicKey } from 'node:crypto';

import type { Rule } from './config-rules.js';
import { text } from './config-rules.js';
import type { EnvReader } from './env-reader.js';

/** The roles a credential can carry (the permissions of each live in `#auth`). */
export const AUTH_ROLES = ['integration', 'account_manager', 'leader', 'admin'] as const;
export type AuthRole = (typeof AUTH_ROLES)[number];

/** One `role:principalId:secret` entry of AUTH_API_KEYS. */
export interface ApiKeyCredential {
  readonly role: AuthRole;
  readonly principalId: string;
  readonly secret: string;
}

/** How bearer JWTs are verified: one key, one family of algorithms. */
export type JwtVerificationConfig = (
  | { readonly algorithm: 'HS256'; readonly secret: string }
  | { readonly algorithm: 'RS256' | 'ES256'; readonly publicKeyPem: string }
) & {
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
};

export interface AuthConfig {
  readonly apiKeys: readonly ApiKeyCredential[];
  readonly jwt: JwtVerificationConfig | undefined;
}

export const MIN_SECRET_LENGTH = 32;

const CREDENTIAL_VARIABLES = ['AUTH_API_KEYS', 'AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY'] as const;

/**
 * Reads the AUTH_* variables. `undefined` when no credential is configured, which only
 * development and test accept (the service then makes a development key).
 *
 * Secrets never reach a message: entries are named by their position, never by their text,
 * since a mistyped entry may have its secret where the role or principal id belongs.
 */
export function readAuthConfig(reader: EnvReader, nodeEnv: string): AuthConfig | undefined {
  const anyCredential = CREDENTIAL_VARIABLES.some((variable) => reader.isSet(variable));
  if (!anyCredential && nodeEnv === 'production') {
    reader.problem(
      'AUTH_API_KEYS',
      'at least one credential is required when NODE_ENV is production: set AUTH_API_KEYS, ' +
        'AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY (the development key is never made in production)',
    );
  }

  const rawKeys = reader.optional('AUTH_API_KEYS', text(), { secret: true });
  let apiKeys: readonly ApiKeyCredential[] = [];
  if (rawKeys !== undefined) {
    const parsed = parseApiKeys(rawKeys);
    if (parsed.ok) apiKeys = parsed.value;
    else reader.problem('AUTH_API_KEYS', parsed.problems.join('; '));
  }

  const secret = reader.optional('AUTH_JWT_SECRET', jwtSecret(), { secret: true });
  // Not a secret, but a private key pasted here by mistake must not be echoed either.
  const publicKey = reader.optional('AUTH_JWT_PUBLIC_KEY', jwtPublicKey(), { secret: true });
  const issuer = reader.optional('AUTH_JWT_ISSUER', text());
  const audience = reader.optional('AUTH_JWT_AUDIENCE', text());
  const secretSet = reader.isSet('AUTH_JWT_SECRET');
  const publicKeySet = reader.isSet('AUTH_JWT_PUBLIC_KEY');
  if (secretSet && publicKeySet) {
    reader.problem('AUTH_JWT_SECRET', 'must not be set together with AUTH_JWT_PUBLIC_KEY');
  }
  for (const variable of ['AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE']) {
    if (reader.isSet(variable) && !secretSet && !publicKeySet) {
      reader.problem(variable, 'needs AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY');
    }
  }
  if (!anyCredential) return undefined;

  let jwt: JwtVerificationConfig | undefined;
  if (secret !== undefined) jwt = { algorithm: 'HS256', secret, issuer, audience };
  else if (publicKey !== undefined) jwt = { ...publicKey, issuer, audience };
  return Object.freeze({
    apiKeys: Object.freeze(apiKeys.map((key) => Object.freeze(key))),
    jwt: jwt && Object.freeze(jwt),
  });
}

type ApiKeysResult =
  | { readonly ok: true; readonly value: readonly ApiKeyCredential[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Parses AUTH_API_KEYS: comma-separated `role:principalId:secret` (the secret may contain
 * colons). Returns every problem found, each naming the entry by its position (from 1).
 */
export function parseApiKeys(raw: string): ApiKeysResult {
  const problems: string[] = [];
  const keys: ApiKeyCredential[] = [];
  const firstEntryBySecret = new Map<string, number>();
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  entries.forEach((entry, index) => {
    const n = index + 1;
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    if (second < 0) {
      problems.push(`entry ${n} must have the form role:principalId:secret`);
      return;
    }
    const role = entry.slice(0, first).trim();
    const principalId = entry.slice(first + 1, second).trim();
    const secret = entry.slice(second + 1).trim();
    const before = problems.length;
    if (!(AUTH_ROLES as readonly string[]).includes(role)) {
      problems.push(`entry ${n}: role must be one of ${AUTH_ROLES.join(', ')}`);
    }
    if (principalId === '') problems.push(`entry ${n}: principalId must not be empty`);
    if (secret.length < MIN_SECRET_LENGTH) {
      problems.push(`entry ${n}: secret must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    if (/\s/.test(secret)) problems.push(`entry ${n}: secret must not contain whitespace`);
    // A bearer token of three dot-separated parts is verified as a JWT, never looked up as a key.
    if (secret.split('.').length === 3) {
      problems.push(
        `entry ${n}: secret must not have three dot-separated parts (it would be taken for a JWT)`,
      );
    }
    const duplicateOf = firstEntryBySecret.get(secret);
    if (duplicateOf !== undefined) {
      problems.push(`entry ${n}: secret must be unique (entry ${duplicateOf} has the same one)`);
    } else {
      firstEntryBySecret.set(secret, n);
    }
    if (problems.length === before) keys.push({ role: role as AuthRole, principalId, secret });
  });
  if (entries.length === 0) problems.push('must list at least one role:principalId:secret entry');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: keys };
}

function jwtSecret(): Rule<string> {
  return {
    rule: `must be at least ${MIN_SECRET_LENGTH} characters (an HS256 key of 256 bits or more)`,
    parse: (raw) => (raw.length >= MIN_SECRET_LENGTH ? { ok: true, value: raw } : { ok: false }),
  };
}

type PublicKeyConfig = { readonly algorithm: 'RS256' | 'ES256'; readonly publicKeyPem: string };

/**
 * A PEM public key: RSA (2048 bits or more) for RS256 or EC P-256 for ES256. Literal `\n`
 * sequences are taken as line breaks, as environment files often carry PEM on one line.
 * The key is normalised to SPKI PEM.
 */
function jwtPublicKey(): Rule<PublicKeyConfig> {
  return {
    rule: 'must be a PEM public key: RSA of 2048 bits or more (RS256) or EC P-256 (ES256)',
    parse(raw) {
      const pem = raw.replace(/\\n/g, '\n');
      if (!pem.includes('-----BEGIN') || pem.includes('PRIVATE KEY')) return { ok: false };
      try {
        const key = createPublicKey({ key: pem, format: 'pem' });
        const details = key.asymmetricKeyDetails ?? {};
        const publicKeyPem = key.export({ type: 'spki', format: 'pem' }).toString();
        if (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048) {
          return { ok: true, value: { algorithm: 'RS256', publicKeyPem } };
        }
        if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') {
          return { ok: true, value: { algorithm: 'ES256', publicKeyPem } };
        }
        return { ok: false };
      } catch {
        return { ok: false };
      }
    },
  };
}
