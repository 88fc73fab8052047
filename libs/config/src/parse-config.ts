import { resolve } from 'node:path';

import {
  LOG_LEVELS,
  NODE_ENVS,
  ROLE_ALIASES,
  ROLES,
  type AppConfig,
  type ProcessRole,
} from './app-config.js';
import { readAuthConfig } from './auth-config.js';
import { hostAddress, integer, list, oneOf, startsWith, text, url, type Rule } from './config-rules.js';
import { EnvReader, type Environment } from './env-reader.js';
import { readHttpProtection } from './http-protection-config.js';
import { readMetricsToken } from './metrics-config.js';

/** ACCOUNT_VIEW_CACHE_MB when unset. */
export const DEFAULT_ACCOUNT_VIEW_CACHE_MB = 128;

/**
 * Builds the configuration from environment variables. Throws one
 * {@link ConfigValidationError} listing every bad variable.
 *
 * To add a variable: a field on {@link AppConfig}, one `reader.read(...)` line here with a
 * rule from `config-rules.ts`, and a test in `parse-config.spec.ts`.
 */
export function parseConfig(env: Environment, cwd: string = process.cwd()): AppConfig {
  const reader = new EnvReader(env);
  const nodeEnv = reader.read('NODE_ENV', oneOf(NODE_ENVS), 'development');
  const config: AppConfig = {
    nodeEnv,
    port: reader.read('PORT', integer({ min: 1, max: 65535 }), 3000),
    // Production runs in a container that must accept outside traffic; elsewhere stay on loopback.
    host: reader.read('HOST', hostAddress(), nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    dataDir: resolve(cwd, reader.read('DATA_DIR', text(), './data')),
    eventStoreConnectionString: reader.optional(
      'EVENTSTORE_CONNECTION_STRING',
      startsWith(['esdb://', 'esdb+discover://']),
    ),
    // The URL may carry a password: it never appears in an error message.
    databaseUrl: reader.optional('DATABASE_URL', url(['postgres:', 'postgresql:']), { secret: true }),
    logLevel: reader.read('LOG_LEVEL', oneOf(LOG_LEVELS), 'info'),
    roles: readRoles(reader),
    // 1,000 items with long summaries fit well within 8 MiB; larger bodies are refused with 413.
    httpBodyLimitBytes: reader.read(
      'HTTP_BODY_LIMIT_BYTES',
      integer({ min: 1024, max: 256 * 1024 * 1024 }),
      8 * 1024 * 1024,
    ),
    ...readHttpProtection(reader),
    accountViewCacheMb: reader.read(
      'ACCOUNT_VIEW_CACHE_MB',
      integer({ min: 0, max: 65_536 }),
      DEFAULT_ACCOUNT_VIEW_CACHE_MB,
    ),
    riskScanIntervalMs: reader.read(
      'RISK_SCAN_INTERVAL_MS',
      integer({ min: 100, max: 24 * 60 * 60 * 1000 }),
      5000,
    ),
    ...readAlertWebhooks(reader),
    auth: readAuthConfig(reader, nodeEnv),
    metricsToken: readMetricsToken(reader),
  };
  reader.throwIfInvalid();
  return Object.freeze(config);
}

const httpUrl = url(['http:', 'https:']);

/** Shortest ALERT_WEBHOOK_SECRET accepted: an HMAC key short enough to guess protects nothing. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

type AlertWebhookConfig = Pick<
  AppConfig,
  'alertWebhookUrls' | 'alertWebhookSecret' | 'alertWebhookTimeoutMs'
>;

function readAlertWebhooks(reader: EnvReader): AlertWebhookConfig {
  const { urls, listed } = readWebhookUrls(reader);
  const secret = reader.optional(
    'ALERT_WEBHOOK_SECRET',
    {
      rule: `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`,
      parse: (raw) => (raw.length >= MIN_WEBHOOK_SECRET_LENGTH ? { ok: true, value: raw } : { ok: false }),
    },
    { secret: true },
  );
  // Unsigned notifications would let anyone who finds a receiver's address forge alerts.
  if (listed && !reader.isSet('ALERT_WEBHOOK_SECRET')) {
    reader.problem(
      'ALERT_WEBHOOK_SECRET',
      `is required when ALERT_WEBHOOK_URLS is set (at least ${MIN_WEBHOOK_SECRET_LENGTH} characters)`,
    );
  }
  return {
    alertWebhookUrls: urls,
    alertWebhookSecret: secret,
    alertWebhookTimeoutMs: reader.read('ALERT_WEBHOOK_TIMEOUT_MS', integer({ min: 100, max: 120_000 }), 5000),
  };
}

/**
 * ALERT_WEBHOOK_URLS: comma-separated absolute http(s) URLs, duplicates dropped. A URL may carry a
 * token or a password, so bad entries are named by their position (from 1), never echoed.
 * `listed`: whether any entry was given, valid or not (the secret is required then).
 */
function readWebhookUrls(reader: EnvReader): { urls: readonly string[]; listed: boolean } {
  const raw = reader.optional('ALERT_WEBHOOK_URLS', text());
  if (raw === undefined) return { urls: [], listed: false };
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const bad = entries.flatMap((entry, index) => (httpUrl.parse(entry).ok ? [] : [index + 1]));
  if (bad.length > 0) {
    const which = bad.length === 1 ? `entry ${bad[0]}` : `entries ${bad.join(', ')}`;
    reader.problem(
      'ALERT_WEBHOOK_URLS',
      `${which} must be an absolute URL starting with http:// or https://`,
    );
    return { urls: [], listed: true };
  }
  return { urls: [...new Set(entries)], listed: entries.length > 0 };
}

/** A role by its name, or by a former name (ROLE_ALIASES: `projector` is now `worker`). */
const role: Rule<ProcessRole> = {
  rule: `must be one of ${ROLES.join(', ')}`,
  parse: (raw) => {
    if ((ROLES as readonly string[]).includes(raw)) return { ok: true, value: raw as ProcessRole };
    return Object.hasOwn(ROLE_ALIASES, raw) ? { ok: true, value: ROLE_ALIASES[raw] } : { ok: false };
  },
};

function readRoles(reader: EnvReader): readonly ProcessRole[] {
  const roles = reader.read('ROLES', list(role), ROLES);
  if (roles.length === 0) reader.problem('ROLES', `must name at least one of ${ROLES.join(', ')}`);
  return [...new Set(roles)];
}
