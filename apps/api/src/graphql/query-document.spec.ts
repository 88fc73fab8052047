import { parse } from 'graphql';

import {
  assertNestingWithin,
  assertNoNulCharacters,
  assertParsedFromText,
  InvalidQueryError,
} from './query-document.js';

const refusal = (run: () => void): InvalidQueryError | undefined => {
  try {
    run();
  } catch (error) {
    return error as InvalidQueryError;
  }
  return undefined;
};

describe('assertNestingWithin', () => {
  it('takes nesting up to the limit and refuses one level more, whichever the bracket', () => {
    expect(refusal(() => assertNestingWithin(`${'{'.repeat(3)}${'}'.repeat(3)}`, 3))).toBeUndefined();
    for (const open of ['{', '[', '(']) {
      const error = refusal(() => assertNestingWithin(open.repeat(4), 3));
      expect(error).toBeInstanceOf(InvalidQueryError);
      expect(error!.statusCode).toBe(400);
      expect(error!.errors[0].message).toBe(
        'The query nests braces, brackets or parentheses more than 3 levels deep',
      );
    }
  });

  it('does not count brackets in strings, block strings or comments', () => {
    const source = [
      '{ a(s: "{{{{ \\" [[[[") {',
      '  # {{{{{{{{',
      '  b(t: """ {{{{ \\""" [[[[ """) }',
      '}',
    ].join('\n');
    expect(refusal(() => assertNestingWithin(source, 3))).toBeUndefined();
    expect(refusal(() => assertNestingWithin(`${source} {{{{`, 3))).toBeInstanceOf(InvalidQueryError);
  });
});

describe('assertParsedFromText', () => {
  it('takes what the parser made and refuses a syntax tree from JSON with the parser error', () => {
    expect(refusal(() => assertParsedFromText(parse('{ a }'), '{ a }'))).toBeUndefined();
    const error = refusal(() =>
      assertParsedFromText(JSON.parse(JSON.stringify(parse('{ a }'))), '{"kind":"Document"}'),
    );
    expect(error!.errors[0].message).toMatch(/^Syntax Error: /);
  });
});

describe('assertNoNulCharacters', () => {
  it('names every variable and string of the query holding NUL', () => {
    const error = refusal(() =>
      assertNoNulCharacters(parse('{ a(s: "x\\u0000") }'), {
        input: { name: 'a\u0000', tags: ['ok', '\u0000'] },
      }),
    ) as unknown as { extensions: { fields: unknown } };
    expect(error.extensions.fields).toEqual(
      expect.arrayContaining([
        { path: 'input.name', message: 'must not contain NUL characters (U+0000)' },
        { path: 'input.tags.1', message: 'must not contain NUL characters (U+0000)' },
        { path: 'query (line 1)', message: 'a string must not contain NUL characters (U+0000)' },
      ]),
    );
    expect(
      refusal(() => assertNoNulCharacters(parse('{ a(s: "x") }'), { input: { name: 'a' } })),
    ).toBeUndefined();
  });
});
