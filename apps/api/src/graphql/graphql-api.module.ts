import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import mercurius from 'mercurius';

import { AccountCommandsModule } from '#account-commands';

import { AccountResolver } from './accounts/account.resolver.js';
import { formatGraphQLErrors } from './graphql-errors.js';
import { LostDealsResolver } from './portfolio/lost-deals.resolver.js';

/** Deeper queries than this are refused before they run. */
export const MAX_QUERY_DEPTH = 10;

/** GraphQL on Mercurius (with its JIT) at /graphql. Credentials are checked by the global guard. */
@Module({
  imports: [
    AccountCommandsModule,
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      graphiql: false,
      jit: 1,
      queryDepth: MAX_QUERY_DEPTH,
      context: (request: object) => ({ req: request }),
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
  ],
  providers: [AccountResolver, LostDealsResolver],
})
export class GraphQLApiModule {}
