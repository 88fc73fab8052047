import { parse } from 'graphql';

import { assertShallowEnough, queryDepth } from './query-depth.js';

describe('query depth', () => {
  it('counts nested fields, inline fragments and fragment spreads', () => {
    expect(queryDepth(parse('{ a }'))).toBe(1);
    expect(queryDepth(parse('{ a { b { c } } d }'))).toBe(3);
    expect(queryDepth(parse('{ a { ... on T { b } } }'))).toBe(3);
    expect(queryDepth(parse('query { a { ...F } } fragment F on T { b { c } }'))).toBe(4);
  });

  it('leaves introspection out, so schema tools are not refused', () => {
    const introspection = parse(
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }',
    );
    expect(queryDepth(introspection)).toBe(0);
    expect(() => assertShallowEnough(introspection, 3)).not.toThrow();
  });

  it('takes the deepest of several operations and refuses one over the limit, saying how deep', () => {
    const document = parse('query A { a } query B { a { b { c { d } } } }');
    expect(queryDepth(document)).toBe(4);
    expect(() => assertShallowEnough(document, 3)).toThrow(
      'The query is 4 levels deep, more than the 3 allowed',
    );
  });
});
