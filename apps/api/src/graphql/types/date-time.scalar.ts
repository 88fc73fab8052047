import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

import { instantRangeProblem, parseInstant } from '#lifecycle';

import { isoText } from './iso-text.js';

const RULE = 'DateTime must be an ISO-8601 date-time with a time zone, e.g. 2026-05-01T09:30:00Z';

/** The instant `value` names, or a refusal saying what a DateTime must be. */
function instantOf(value: unknown): Date {
  const ms = typeof value === 'string' ? parseInstant(value) : undefined;
  if (ms === undefined) throw new GraphQLError(RULE);
  const outOfRange = instantRangeProblem(ms);
  if (outOfRange) throw new GraphQLError(`DateTime ${outOfRange}`);
  return new Date(ms);
}

/**
 * The contract's `DateTime`, read as strictly as REST reads instants. Nest's stock scalar took
 * whatever `new Date()` takes: numbers, dates without a zone (read in the server's zone), and
 * years PostgreSQL cannot store, which failed the query (an internal error) or, written by a
 * mutation, stopped the projections at that event.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string | null>({
  name: 'DateTime',
  description: 'An instant: an ISO-8601 date-time with a time zone, such as 2026-05-01T09:30:00Z.',
  serialize: (value) => (value instanceof Date ? isoText(value) : null),
  parseValue: instantOf,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(RULE, { nodes: ast });
    return instantOf(ast.value);
  },
});
