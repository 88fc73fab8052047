import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { MAX_VALUES_PER_LABEL, Metrics, OTHER_LABEL_VALUE } from './metrics.js';

/** The value of one series in the text exposition, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** A full garbage collection, then the turn in which the collection's performance entry arrives. */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('Metrics', () => {
  it('exposes the default process metrics, and none without them', async () => {
    expect(await new Metrics().exposition()).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(await new Metrics({ defaultMetrics: false }).exposition()).not.toContain('process_cpu');
  });

  it('reports the live heap as the last full garbage collection left it, and stops when destroyed', async () => {
    const metrics = new Metrics();
    const live = async () => sample(await metrics.exposition(), 'nodejs_heap_live_bytes')!;
    let held: number[][] | undefined = Array.from({ length: 200 }, () =>
      Array.from({ length: 20_000 }, (_, i) => i + 0.5),
    );
    await collectGarbage();
    const holding = await live();
    expect(holding).toBeGreaterThan(30 * 2 ** 20); // 4 million doubles held: 32 MB
    held = undefined;
    await collectGarbage();
    const released = await live();
    expect(holding - released).toBeGreaterThan(25 * 2 ** 20);
    expect(held).toBeUndefined();

    metrics.onModuleDestroy();
    held = Array.from({ length: 200 }, () => Array.from({ length: 20_000 }, (_, i) => i + 0.5));
    await collectGarbage();
    expect(await live()).toBe(released);
    expect(held).toHaveLength(200);
  });

  it('keeps its own registry: two instances count apart', async () => {
    const a = new Metrics({ defaultMetrics: false });
    const b = new Metrics({ defaultMetrics: false });
    a.recordCommand('OpenAccount', 'created');
    a.recordCommand('OpenAccount', 'created');
    expect(sample(await a.exposition(), 'commands_total{type="OpenAccount",outcome="created"}')).toBe(2);
    expect(await b.exposition()).not.toContain('type="OpenAccount"');
  });

  it('counts HTTP requests by method, route pattern and status, with their latency', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.recordHttpRequest('POST', '/v1/accounts', 200, 0.02);
    metrics.recordHttpRequest('POST', '/v1/accounts', 200, 0.2);
    metrics.recordHttpRequest('BREW', '/v1/accounts', 405, 0.001);
    const text = await metrics.exposition();
    const labels = '{method="POST",route="/v1/accounts",status="200"}';
    expect(sample(text, `http_requests_total${labels}`)).toBe(2);
    expect(sample(text, `http_request_duration_seconds_count${labels}`)).toBe(2);
    expect(sample(text, `http_request_duration_seconds_sum${labels}`)).toBeCloseTo(0.22);
    expect(
      sample(
        text,
        'http_request_duration_seconds_bucket{le="0.025",method="POST",route="/v1/accounts",status="200"}',
      ),
    ).toBe(1);
    expect(sample(text, 'http_requests_total{method="other",route="/v1/accounts",status="405"}')).toBe(1);
  });

  it('counts GraphQL operations, commands, events, alerts and webhook deliveries by their labels', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.recordGraphQLOperation('mutation', 'Open', 'error', 0.01);
    metrics.recordCommand('RaiseAlert', 'duplicate');
    metrics.recordEventsAppended(['AccountOpened', 'TouchpointRecorded', 'TouchpointRecorded']);
    metrics.recordAlertRaised('ACCOUNT_SILENT');
    metrics.recordWebhookDelivery('1', 'failed');
    metrics.recordWebhookDelivery('1', 'delivered');
    const text = await metrics.exposition();
    expect(
      sample(
        text,
        'graphql_operations_total{operation_type="mutation",operation_name="Open",outcome="error"}',
      ),
    ).toBe(1);
    expect(sample(text, 'commands_total{type="RaiseAlert",outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'events_appended_total{type="TouchpointRecorded"}')).toBe(2);
    expect(sample(text, 'events_appended_total{type="AccountOpened"}')).toBe(1);
    expect(sample(text, 'alerts_raised_total{kind="ACCOUNT_SILENT"}')).toBe(1);
    expect(sample(text, 'alert_webhook_deliveries_total{webhook="1",outcome="failed"}')).toBe(1);
    expect(sample(text, 'alert_webhook_deliveries_total{webhook="1",outcome="delivered"}')).toBe(1);
  });

  it('follows subscribers up and down', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.subscriberConnected();
    metrics.subscriberConnected();
    expect(sample(await metrics.exposition(), 'risk_alert_subscribers')).toBe(2);
    metrics.subscriberDisconnected();
    expect(sample(await metrics.exposition(), 'risk_alert_subscribers')).toBe(1);
  });

  it('stops taking new values of a label past the bound, counting them as other', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    for (let i = 0; i < MAX_VALUES_PER_LABEL + 5; i++)
      metrics.recordGraphQLOperation('query', `Op${i}`, 'success', 0);
    metrics.recordGraphQLOperation('query', 'Op0', 'success', 0);
    const text = await metrics.exposition();
    expect(
      sample(text, 'graphql_operations_total{operation_type="query",operation_name="Op0",outcome="success"}'),
    ).toBe(2);
    expect(
      sample(
        text,
        `graphql_operations_total{operation_type="query",operation_name="${OTHER_LABEL_VALUE}",outcome="success"}`,
      ),
    ).toBe(5);
    expect(text).not.toContain(`operation_name="Op${MAX_VALUES_PER_LABEL}"`);
  });

  it('refreshes gauges from collectors at each scrape; a failing collector keeps the last values', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let lag = 3;
    let fail = false;
    metrics.addScrapeCollector('projections', () => {
      if (fail) throw new Error('database down');
      metrics.recordProjection({
        projection: 'alerts-read-model',
        eventsApplied: 10,
        checkpointCommitPosition: 1234n,
        lagEvents: lag,
      });
    });
    let text = await metrics.exposition();
    expect(sample(text, 'projection_lag_events{projection="alerts-read-model"}')).toBe(3);
    expect(sample(text, 'projection_checkpoint_commit_position{projection="alerts-read-model"}')).toBe(1234);
    expect(sample(text, 'projection_events_applied{projection="alerts-read-model"}')).toBe(10);
    lag = 0;
    expect(sample(await metrics.exposition(), 'projection_lag_events{projection="alerts-read-model"}')).toBe(
      0,
    );
    fail = true;
    lag = 7;
    text = await metrics.exposition();
    expect(sample(text, 'projection_lag_events{projection="alerts-read-model"}')).toBe(0);
    expect(sample(text, 'metrics_scrape_collector_failures_total{collector="projections"}')).toBe(1);
  });

  it('leaves out a projection lag it could not measure rather than keeping the last one', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let state: 'measured' | 'unmeasured' | 'failing' = 'measured';
    metrics.addScrapeCollector(
      'projections',
      () => {
        if (state === 'failing') throw new Error('timed out');
        for (const projection of ['account-read-model', 'alerts-read-model']) {
          metrics.recordProjection({
            projection,
            eventsApplied: 10,
            lagEvents: state === 'measured' || projection === 'alerts-read-model' ? 0 : undefined,
          });
        }
      },
      () => metrics.forgetProjectionLags(),
    );
    const lags = (text: string) =>
      ['account-read-model', 'alerts-read-model'].map((projection) =>
        sample(text, `projection_lag_events{projection="${projection}"}`),
      );
    expect(lags(await metrics.exposition())).toEqual([0, 0]);
    state = 'unmeasured';
    let text = await metrics.exposition();
    expect(lags(text)).toEqual([undefined, 0]);
    expect(sample(text, 'projection_events_applied{projection="account-read-model"}')).toBe(10);
    state = 'failing';
    text = await metrics.exposition();
    expect(lags(text)).toEqual([undefined, undefined]);
    expect(sample(text, 'metrics_scrape_collector_failures_total{collector="projections"}')).toBe(1);
    state = 'measured';
    expect(lags(await metrics.exposition())).toEqual([0, 0]);
  });

  it('removes a collector when told, and only the one it added', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    let calls = 0;
    const remove = metrics.addScrapeCollector('x', () => void (calls += 1));
    await metrics.exposition();
    remove();
    await metrics.exposition();
    expect(calls).toBe(1);
  });

  it('names the Prometheus text format as its content type', () => {
    expect(new Metrics({ defaultMetrics: false }).contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
