import type { AuthConfig } from './auth-config.js';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * What one process does. `api` serves HTTP; `worker` keeps the read model up to date and runs
 * the jobs that follow it (alert policy, deadline and health monitor, webhook delivery). All of
 * them by default (what `npm start` runs); a deployment splits them so the API's event loop is
 * not shared with the projections, and runs the worker in several processes of which one at a
 * time is active (the others stand by).
 */
export const ROLES = ['api', 'worker'] as const;
export type ProcessRole = (typeof ROLES)[number];

/** Former names still accepted in ROLES, and the role each now means. Deprecated. */
export const ROLE_ALIASES: Readonly<Record<string, ProcessRole>> = { projector: 'worker' };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The validated configuration, read once at start-up. Inject it by type
 * (`constructor(private readonly config: AppConfig)`); it is frozen.
 *
 * An abstract class rather than an interface so that it exists at run time and serves as
 * its own injection token.
 */
export abstract class AppConfig {
  abstract readonly nodeEnv: NodeEnv;
  /** HTTP port, 1–65535. */
  abstract readonly port: number;
  /** Interface the HTTP server binds to. */
  abstract readonly host: string;
  /** Absolute path of the folder the embedded stores keep their files in. */
  abstract readonly dataDir: string;
  /** `esdb://…` of an external EventStoreDB; `undefined` starts the embedded one. */
  abstract readonly eventStoreConnectionString: string | undefined;
  /**
   * `postgres://…` of the read model's PostgreSQL; `undefined` uses embedded PGlite with its
   * files under `${dataDir}/readmodel`. May hold a password: never log it as is.
   */
  abstract readonly databaseUrl: string | undefined;
  abstract readonly logLevel: LogLevel;
  /** The roles this process takes (ROLES). */
  abstract readonly roles: readonly ProcessRole[];
  /** Largest accepted HTTP request body; larger ones get 413. */
  abstract readonly httpBodyLimitBytes: number;
  /** REST and GraphQL requests one credential (or, without one, one address) may send per minute; 0: no limit. */
  abstract readonly rateLimitPerMinute: number;
  /** Browser origins allowed to call the API (CORS_ORIGINS); empty: no CORS headers at all. */
  abstract readonly corsOrigins: readonly string[];
  /**
   * What the API may keep of account views between requests, in MiB (ACCOUNT_VIEW_CACHE_MB):
   * facts and first timeline pages, about 35 KB an account; 0 keeps nothing.
   */
  abstract readonly accountViewCacheMb: number;
  /** How often the deadline monitor checks due commitments and silence (RISK_SCAN_INTERVAL_MS). */
  abstract readonly riskScanIntervalMs: number;
  /** Where alert notifications are POSTed (ALERT_WEBHOOK_URLS), each once; empty: nowhere. */
  abstract readonly alertWebhookUrls: readonly string[];
  /**
   * The HMAC-SHA256 key that signs every webhook body (ALERT_WEBHOOK_SECRET); set whenever
   * `alertWebhookUrls` is not empty. Never log it.
   */
  abstract readonly alertWebhookSecret: string | undefined;
  /** How long one webhook request may take before it counts as failed (ALERT_WEBHOOK_TIMEOUT_MS). */
  abstract readonly alertWebhookTimeoutMs: number;
  /**
   * Credentials from AUTH_API_KEYS and AUTH_JWT_*; `undefined` when none is configured
   * (refused in production; elsewhere `#auth` makes a development key).
   */
  abstract readonly auth: AuthConfig | undefined;
  /**
   * The bearer token GET /metrics asks for (METRICS_TOKEN); `undefined`: /metrics is open to
   * whoever reaches the port (keep it internal then). Never log it.
   */
  abstract readonly metricsToken: string | undefined;
}
