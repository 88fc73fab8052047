import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import mercurius from 'mercurius';

import { AccountCommandsModule, Clock } from '#account-commands';
import { AlertCommandsModule } from '#alert-commands';
import { AppConfig } from '#config';
import { Metrics } from '#metrics';
import { ReadModelDatabase } from '#read-model';

import { requestIdsOf } from '../http/request-ids.js';
import { AccountHistory } from './accounts/account-history.js';
import { AccountResolver } from './accounts/account.resolver.js';
import { AlertHistory } from './alerts/alert-history.js';
import { AlertMutationsResolver } from './alerts/alert-mutations.resolver.js';
import { AlertWrites } from './alerts/alert-writes.js';
import { AlertsResolver } from './alerts/alerts.resolver.js';
import type { GraphQLContext } from './graphql-context.js';
import { formatGraphQLErrors } from './graphql-errors.js';
import { GraphQLMetrics } from './graphql-metrics.js';
import { AlertLoaders } from './loaders/alert-loaders.js';
import { AccountViewCache } from './loaders/account-view-cache.js';
import { ReadModelLoaders } from './loaders/read-model-loaders.js';
import { AccountsResolver } from './portfolio/accounts.resolver.js';
import { FunnelResolver } from './portfolio/funnel.resolver.js';
import { AccountMutationsResolver } from './mutations/account-mutations.resolver.js';
import { CommitmentMutationsResolver } from './mutations/commitment-mutations.resolver.js';
import { ReadYourWrites } from './mutations/read-your-writes.js';
import { TouchpointMutationsResolver } from './mutations/touchpoint-mutations.resolver.js';
import { LostDealsResolver } from './portfolio/lost-deals.resolver.js';
import { admitQuery } from './query-admission.js';
import { assertNestingWithin, assertParsedFromText } from './query-document.js';
import { AlertFeed } from './subscriptions/alert-feed.js';
import { RiskAlertsResolver } from './subscriptions/risk-alerts.resolver.js';
import { SubscriptionServer } from './subscriptions/subscription-server.js';
import { DateTimeScalar } from './types/date-time.scalar.js';

/**
 * GraphQL on Mercurius (with its JIT) at /graphql. Credentials are checked by the global guard;
 * each request gets its own read-model loaders (batching, and one "now" for the whole answer).
 */
@Module({
  imports: [
    AccountCommandsModule,
    AlertCommandsModule,
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      imports: [AccountCommandsModule],
      inject: [AppConfig, ReadModelDatabase, Clock, { token: Metrics, optional: true }],
      useFactory: (
        config: AppConfig,
        database: ReadModelDatabase,
        clock: Clock,
        metrics: Metrics | undefined,
        operations = new GraphQLMetrics(metrics),
        accountViews = accountViewCache(config, metrics),
      ) => ({
        path: '/graphql',
        autoSchemaFile: true,
        sortSchema: true,
        buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
        graphiql: false,
        jit: 1,
        // Subscriptions are served by SubscriptionServer (graphql-ws) on the same path.
        context: (request: object): Omit<GraphQLContext, 'readModelLag'> => ({
          req: request,
          loaders: new ReadModelLoaders(database, clock.now(), accountViews),
          alertLoaders: new AlertLoaders(database.db),
        }),
        hooks: {
          preParsing: [
            operations.preParsing,
            // Thousands of nested brackets would overflow the parser's stack: refused unparsed.
            (_schema, source) => {
              assertNestingWithin(source);
            },
          ],
          // Only GraphQL text is a query (Mercurius would also take a JSON syntax tree).
          preValidation: (_schema, document, context) => {
            assertParsedFromText(document, (context as { __currentQuery?: unknown }).__currentQuery);
          },
          preExecution: [
            operations.preExecution,
            // Too deep, NUL-holding or over-costly queries are refused after validation, before anything runs.
            (schema, document, context, variables) => {
              const body = (context.reply.request.body ?? {}) as { operationName?: unknown };
              const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
              admitQuery(schema, document, variables, operationName);
            },
          ],
          // A mutation whose effect the read model did not show in time says so beside its answer.
          onResolution: [
            async (execution, context) => {
              const lag = (context as unknown as GraphQLContext).readModelLag;
              if (lag) execution.extensions = { ...execution.extensions, readModelLag: lag };
            },
            operations.onResolution,
          ],
        },
        errorFormatter: (execution, context) => {
          operations.failed(context);
          const { statusCode } = mercurius.defaultErrorFormatter(execution, context);
          return {
            statusCode,
            response: {
              data: execution.data ?? null,
              errors: formatGraphQLErrors(execution.errors ?? [], requestIdOf(context)),
            },
          };
        },
      }),
    }),
  ],
  providers: [
    AccountHistory,
    ReadYourWrites,
    AccountResolver,
    AccountsResolver,
    LostDealsResolver,
    FunnelResolver,
    AccountMutationsResolver,
    TouchpointMutationsResolver,
    CommitmentMutationsResolver,
    AlertHistory,
    AlertWrites,
    AlertsResolver,
    AlertMutationsResolver,
    AlertFeed,
    RiskAlertsResolver,
    SubscriptionServer,
  ],
})
export class GraphQLApiModule {}

/** The account views kept between requests, with their size shown at every scrape. */
function accountViewCache(config: AppConfig, metrics: Metrics | undefined): AccountViewCache {
  const cache = new AccountViewCache(config.accountViewCacheMb * 1024 * 1024, metrics);
  metrics?.addScrapeCollector('account_view_cache', () => metrics.recordAccountViewCache(cache.usage));
  return cache;
}

/** The id of the HTTP request behind a GraphQL context (none for a subscription's messages). */
function requestIdOf(context: { reply?: { request?: object } }): string | undefined {
  const request = context.reply?.request;
  return request ? requestIdsOf(request).requestId : undefined;
}
