import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
// The CommonJS build: the ES one imports graphql's .mjs files, a second copy of graphql beside the
// CommonJS one the rest of the server uses, and graphql refuses to mix them.
import queryComplexity from 'graphql-query-complexity/cjs';

const { getComplexity, simpleEstimator } = queryComplexity;

/** The most a query may cost: a page of 200 accounts with commitments, alerts and health fits. */
export const MAX_QUERY_COST = 25_000;

/**
 * A paginated field costs its selection once per item it may return (`first`), so a deep
 * request for many pages of many items is priced by what it could make the server do.
 */
const paginationEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = (args as { first?: unknown }).first;
  return typeof first === 'number' ? 1 + childComplexity * Math.max(1, first) : undefined;
};

/** Every field costs 1; a paginated one its selection times `first`. */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [paginationEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

/** Refuses a query over `maximumCost` before it runs, saying what it costs. */
export function assertAffordable(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string,
  maximumCost = MAX_QUERY_COST,
): void {
  const cost = queryCost(schema, document, variables, operationName);
  if (cost > maximumCost) {
    throw new GraphQLError(
      `The query costs ${cost}, more than the ${maximumCost} allowed: ask for fewer items (first) or fewer fields`,
      { extensions: { code: 'BAD_USER_INPUT', cost, maxCost: maximumCost } },
    );
  }
}
