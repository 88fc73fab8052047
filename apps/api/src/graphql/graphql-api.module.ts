import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import mercurius from 'mercurius';

import { AccountCommandsModule, Clock } from '#account-commands';
import { ReadModelDatabase } from '#read-model';

import { AccountHistory } from './accounts/account-history.js';
import { AccountResolver } from './accounts/account.resolver.js';
import type { GraphQLContext } from './graphql-context.js';
import { formatGraphQLErrors } from './graphql-errors.js';
import { ReadModelLoaders } from './loaders/read-model-loaders.js';
import { AccountsResolver } from './portfolio/accounts.resolver.js';
import { FunnelResolver } from './portfolio/funnel.resolver.js';
import { AccountMutationsResolver } from './mutations/account-mutations.resolver.js';
import { CommitmentMutationsResolver } from './mutations/commitment-mutations.resolver.js';
import { ReadYourWrites } from './mutations/read-your-writes.js';
import { TouchpointMutationsResolver } from './mutations/touchpoint-mutations.resolver.js';
import { LostDealsResolver } from './portfolio/lost-deals.resolver.js';
import { assertAffordable } from './query-cost.js';

/** Deeper queries than this are refused before they run. */
export const MAX_QUERY_DEPTH = 10;

/**
 * GraphQL on Mercurius (with its JIT) at /graphql. Credentials are checked by the global guard;
 * each request gets its own read-model loaders (batching, and one "now" for the whole answer).
 */
@Module({
  imports: [
    AccountCommandsModule,
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      imports: [AccountCommandsModule],
      inject: [ReadModelDatabase, Clock],
      useFactory: (database: ReadModelDatabase, clock: Clock) => ({
        path: '/graphql',
        autoSchemaFile: true,
        sortSchema: true,
        graphiql: false,
        jit: 1,
        queryDepth: MAX_QUERY_DEPTH,
        context: (request: object): Omit<GraphQLContext, 'readModelLag'> => ({
          req: request,
          loaders: new ReadModelLoaders(database.db, clock.now()),
        }),
        hooks: {
          // Over-costly queries are refused after validation, before anything runs.
          preExecution: (schema, document, context, variables) => {
            const body = (context.reply.request.body ?? {}) as { operationName?: unknown };
            const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
            assertAffordable(schema, document, variables, operationName);
          },
          // A mutation whose effect the read model did not show in time says so beside its answer.
          onResolution: async (execution, context) => {
            const lag = (context as unknown as GraphQLContext).readModelLag;
            if (lag) execution.extensions = { ...execution.extensions, readModelLag: lag };
          },
        },
        errorFormatter: (execution, context) => {
          const { statusCode } = mercurius.defaultErrorFormatter(execution, context);
          return {
            statusCode,
            response: {
              data: execution.data ?? null,
              errors: formatGraphQLErrors(execution.errors ?? []),
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
  ],
})
export class GraphQLApiModule {}
