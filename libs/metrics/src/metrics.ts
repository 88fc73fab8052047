import { PerformanceObserver, constants as performanceConstants } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A command's fate: the decider's outcome, `rejected` by a rule, or `failed` (conflict, store error). */
export type CommandOutcome = 'created' | 'duplicate' | 'unchanged' | 'rejected' | 'failed';

export type GraphQLOutcome = 'success' | 'error';

export type WebhookOutcome = 'delivered' | 'failed';

export type AccountViewLookup = 'hit' | 'stale' | 'miss';

/** Where one projection stands, as a scrape reads it. */
export interface ProjectionSample {
  readonly projection: string;
  /** Events the stored checkpoint says were applied (all processes together); undefined when unknown. */
  readonly eventsApplied?: number;
  /** Commit position of the stored checkpoint; undefined before the first. */
  readonly checkpointCommitPosition?: bigint;
  /** Events of its streams not applied yet; undefined when it could not be measured. */
  readonly lagEvents?: number;
}

/** Runs just before an exposition: gauges that are cheaper to read on demand than to keep current. */
export type ScrapeCollector = () => Promise<void> | void;

/** Label values past this many per label are counted as `other`: a client cannot grow a series without end. */
export const MAX_VALUES_PER_LABEL = 100;
export const OTHER_LABEL_VALUE = 'other';

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Seconds: from a cached read (milliseconds) to a mutation that waits for the read model (seconds). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SCRAPE_COLLECTOR_TIMEOUT_MS = 3000;

/**
 * The process's Prometheus metrics: one registry (not prom-client's global one, so that several
 * applications in one process, as tests boot them, keep their own counts) with the default process
 * metrics and the service's own series. Recording is synchronous and cheap; values that cost a read
 * (projection positions) are gathered by {@link ScrapeCollector}s when scraped.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to sending its answer',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly graphqlOperations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations over HTTP, by operation type, operation name and outcome',
    labelNames: ['operation_type', 'operation_name', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly graphqlOperationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from parsing a GraphQL operation to its result',
    labelNames: ['operation_type', 'operation_name', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'commands_total',
    help: 'Commands decided, by command type and outcome (created, duplicate, unchanged, rejected, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({
    name: 'events_appended_total',
    help: 'Domain events appended to the event store by this process, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly projectionEventsApplied = new Gauge({
    name: 'projection_events_applied',
    help: 'Events the projection has applied, as its stored checkpoint counts them',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });
  readonly projectionCheckpointPosition = new Gauge({
    name: 'projection_checkpoint_commit_position',
    help: 'Commit position in $all of the projection’s stored checkpoint',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'projection_lag_events',
    help: 'Events of the projection’s streams not applied yet (counted up to the readiness bound plus one)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });
  readonly alertsRaised = new Counter({
    name: 'alerts_raised_total',
    help: 'Alerts raised by this process, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'alert_webhook_deliveries_total',
    help: 'Alert webhook requests, by webhook (its position in ALERT_WEBHOOK_URLS) and outcome',
    labelNames: ['webhook', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly riskAlertSubscribers = new Gauge({
    name: 'risk_alert_subscribers',
    help: 'riskAlerts subscriptions open on this process',
    registers: [this.registry],
  });
  readonly accountViewCacheLookups = new Counter({
    name: 'account_view_cache_lookups_total',
    help:
      'Accounts whose view facts a request asked for, by what the API held: hit (held and confirmed by the read model), ' +
      'stale (held, but the account had changed), miss (nothing held that holds at the request instant)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly accountViewCacheAccounts = new Gauge({
    name: 'account_view_cache_accounts',
    help: 'Accounts whose view facts the API keeps between requests',
    registers: [this.registry],
  });
  readonly accountViewCacheBytes = new Gauge({
    name: 'account_view_cache_bytes',
    help: 'Estimated heap bytes of the account views kept between requests (bounded by ACCOUNT_VIEW_CACHE_MB)',
    registers: [this.registry],
  });
  readonly scrapeCollectorFailures = new Counter({
    name: 'metrics_scrape_collector_failures_total',
    help: 'Scrapes in which a gauge could not be refreshed (it keeps its previous value)',
    labelNames: ['collector'] as const,
    registers: [this.registry],
  });

  private readonly collectors = new Map<string, { collect: ScrapeCollector; onFailure?: () => void }>();
  private readonly labelValues = new Map<string, Set<string>>();
  private readonly gcObserver?: PerformanceObserver;

  constructor(options: { readonly defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry });
      this.gcObserver = observeLiveHeap(this.registry);
    }
  }

  /** Stops following garbage collections (Nest calls it as the application closes). */
  onModuleDestroy(): void {
    this.gcObserver?.disconnect();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** `route` is the route's pattern (`/v1/accounts/:accountId/stage`), never the raw URL. */
  recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = {
      method: HTTP_METHODS.has(method) ? method : OTHER_LABEL_VALUE,
      route: this.bounded('route', route),
      status: String(status),
    };
    this.httpRequests.inc(labels);
    this.httpRequestDuration.observe(labels, seconds);
  }

  recordGraphQLOperation(
    operationType: string,
    operationName: string,
    outcome: GraphQLOutcome,
    seconds: number,
  ): void {
    const labels = {
      operation_type: operationType,
      operation_name: this.bounded('operation_name', operationName),
      outcome,
    };
    this.graphqlOperations.inc(labels);
    this.graphqlOperationDuration.observe(labels, seconds);
  }

  recordCommand(type: string, outcome: CommandOutcome): void {
    this.commands.inc({ type: this.bounded('command_type', type), outcome });
  }

  recordEventsAppended(types: readonly string[]): void {
    for (const type of types) this.eventsAppended.inc({ type: this.bounded('event_type', type) });
  }

  recordAlertRaised(kind: string): void {
    this.alertsRaised.inc({ kind: this.bounded('alert_kind', kind) });
  }

  /** `webhook` names the URL without showing it (its position in the configuration). */
  recordWebhookDelivery(webhook: string, outcome: WebhookOutcome): void {
    this.webhookDeliveries.inc({ webhook, outcome });
  }

  recordAccountViewLookup(result: AccountViewLookup): void {
    this.accountViewCacheLookups.inc({ result });
  }

  recordAccountViewCache(usage: { readonly accounts: number; readonly bytes: number }): void {
    this.accountViewCacheAccounts.set(usage.accounts);
    this.accountViewCacheBytes.set(usage.bytes);
  }

  subscriberConnected(): void {
    this.riskAlertSubscribers.inc();
  }

  subscriberDisconnected(): void {
    this.riskAlertSubscribers.dec();
  }

  recordProjection(sample: ProjectionSample): void {
    const labels = { projection: sample.projection };
    if (sample.eventsApplied !== undefined) this.projectionEventsApplied.set(labels, sample.eventsApplied);
    if (sample.checkpointCommitPosition !== undefined)
      this.projectionCheckpointPosition.set(labels, Number(sample.checkpointCommitPosition));
    // Not measured: no sample rather than the last one, which could pass for caught up.
    if (sample.lagEvents !== undefined) this.projectionLag.set(labels, sample.lagEvents);
    else this.projectionLag.remove(labels);
  }

  /** Drops every projection's lag sample: none could be measured. */
  forgetProjectionLags(): void {
    this.projectionLag.reset();
  }

  /**
   * Runs `collect` before each exposition (under `name`, which replaces an earlier one of that
   * name). When it fails or hangs, its gauges keep their values unless `onFailure` clears them.
   */
  addScrapeCollector(name: string, collect: ScrapeCollector, onFailure?: () => void): () => void {
    const collector = { collect, onFailure };
    this.collectors.set(name, collector);
    return () => {
      if (this.collectors.get(name) === collector) this.collectors.delete(name);
    };
  }

  /**
   * The text exposition. Collectors run first, together and each within a few seconds: one that
   * fails or hangs is counted and leaves its gauges as they were (or as its `onFailure` leaves
   * them) rather than failing the scrape.
   */
  async exposition(): Promise<string> {
    await Promise.all(
      [...this.collectors].map(async ([name, { collect, onFailure }]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), SCRAPE_COLLECTOR_TIMEOUT_MS);
        });
        try {
          await Promise.race([Promise.resolve().then(collect), timeout]);
        } catch {
          this.scrapeCollectorFailures.inc({ collector: name });
          onFailure?.();
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return this.registry.metrics();
  }

  /** `value`, unless the label already has {@link MAX_VALUES_PER_LABEL} others. */
  private bounded(label: string, value: string): string {
    let seen = this.labelValues.get(label);
    if (seen === undefined) this.labelValues.set(label, (seen = new Set()));
    if (seen.has(value)) return value;
    if (seen.size >= MAX_VALUES_PER_LABEL) return OTHER_LABEL_VALUE;
    seen.add(value);
    return value;
  }
}

/**
 * `nodejs_heap_live_bytes`: the V8 heap in use just after the last full (mark-compact) garbage
 * collection, which is the live set. `nodejs_heap_size_used_bytes` is read whenever a scrape comes
 * and so also counts garbage not yet collected: it saws up and down and cannot tell a leak from a
 * heap that simply has not been collected lately. This one only moves when live objects do.
 */
function observeLiveHeap(registry: Registry): PerformanceObserver {
  const live = new Gauge({
    name: 'nodejs_heap_live_bytes',
    help: 'V8 heap in use just after the last full garbage collection (the live set); 0 before the first',
    registers: [registry],
  });
  live.set(0);
  const observer = new PerformanceObserver((list) => {
    const full = list
      .getEntries()
      .some(
        (entry) =>
          ((entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0) ===
          performanceConstants.NODE_PERFORMANCE_GC_MAJOR,
      );
    // Entries arrive a moment after the collection: what was allocated since is counted too, which
    // is small beside the heap and only errs upward.
    if (full) live.set(getHeapStatistics().used_heap_size);
  });
  observer.observe({ entryTypes: ['gc'] });
  return observer;
}
