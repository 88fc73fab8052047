// Prometheus metrics: one registry per application, recorded by the libraries that see each fact.
export { MAX_VALUES_PER_LABEL, Metrics, OTHER_LABEL_VALUE } from './metrics.js';
export type {
  AccountViewLookup,
  CommandOutcome,
  GraphQLOutcome,
  ProjectionSample,
  ScrapeCollector,
  WebhookOutcome,
} from './metrics.js';
export { MetricsModule } from './metrics.module.js';
