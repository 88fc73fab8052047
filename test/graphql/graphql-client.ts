// A small GraphQL-over-HTTP client for the end-to-end suites.

export type GraphQLAnswer = {
  data?: Record<string, any> | null;
  errors?: Array<{
    message: string;
    path?: readonly (string | number)[];
    extensions?: { code?: string; fields?: Array<{ path: string; message: string }>; [key: string]: unknown };
  }>;
  extensions?: Record<string, any>;
};

export function graphqlClient(base: string, defaultKey: string | null) {
  return async (
    query: string,
    variables: Record<string, unknown> = {},
    key: string | null = defaultKey,
  ): Promise<GraphQLAnswer> => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLAnswer;
  };
}

/** The data of an answer that must have no errors. */
export function dataOf(answer: GraphQLAnswer): Record<string, any> {
  if (answer.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  return answer.data!;
}
