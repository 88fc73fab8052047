import { buildSchema, parse, type GraphQLError } from 'graphql';

import { admitQuery } from './query-admission.js';

const schema = buildSchema(`
  type Query {
    accounts(first: Int, name: String): [Account!]!
    account(id: ID!): Account
  }
  type Account {
    id: ID!
    name: String!
    related(first: Int): [Account!]!
  }
`);

/** The refusal admitQuery throws, or undefined when it admits the query. */
function refusal(
  document: ReturnType<typeof parse>,
  variables?: Record<string, unknown>,
): GraphQLError | undefined {
  try {
    admitQuery(schema, document, variables, undefined);
    return undefined;
  } catch (error) {
    return error as GraphQLError;
  }
}

describe('admitQuery', () => {
  it('prices a document again when a variable its cost depends on changes', () => {
    const pages = parse('query($n: Int!, $m: Int) { accounts(first: $n) { related(first: $m) { id } } }');
    expect(refusal(pages, { n: 10, m: 10 })).toBeUndefined();
    const dear = refusal(pages, { n: 200, m: 200 });
    expect(dear?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxCost: 25_000 });
    expect(dear?.message).toMatch(/^The query costs \d+, more than the 25000 allowed/);
    // Refused every time, not remembered as admitted.
    expect(refusal(pages, { n: 200, m: 200 })?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refusal(pages, { n: 10, m: 10 })).toBeUndefined();
  });

  it('checks every request’s variables for NUL, also once the document is admitted', () => {
    const one = parse('query($id: ID!) { account(id: $id) { id name } }');
    expect(refusal(one, { id: 'acc-1' })).toBeUndefined();
    expect(refusal(one, { id: 'acc-2' })).toBeUndefined();
    const nul = refusal(one, { id: 'acc-\u0000' });
    expect(nul?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'id', message: 'must not contain NUL characters (U+0000)' }],
    });
  });

  it('refuses a document holding NUL or nested too deep every time it is asked', () => {
    const nul = parse('{ accounts(name: "a\\u0000b") { id } }');
    for (let i = 0; i < 2; i++) expect(refusal(nul)?.message).toMatch(/a string must not contain NUL/);
    let selection = 'id';
    for (let i = 0; i < 11; i++) selection = `related(first: 1) { ${selection} }`;
    const deep = parse(`{ accounts(first: 1) { ${selection} } }`);
    for (let i = 0; i < 2; i++) expect(refusal(deep)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refusal(deep)?.message).toMatch(/levels deep, more than the 10 allowed/);
  });
});
