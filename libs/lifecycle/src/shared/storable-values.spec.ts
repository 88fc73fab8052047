import { DomainError } from '../domain-error.js';
import {
  checkInstant,
  checkOptionalFreeText,
  checkText,
  FieldErrors,
  unstorableTextProblem,
} from './field-errors.js';
import { instantRangeProblem } from './instant.js';

/** The bad fields `check` records, as `path: message`. */
function problemsOf(check: (errors: FieldErrors) => void): string[] {
  const errors = new FieldErrors();
  check(errors);
  try {
    errors.throwIfAny();
  } catch (error) {
    return (error as DomainError).fields.map((field) => `${field.path}: ${field.message}`);
  }
  return [];
}

const UNSTORABLE = 'must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates';

describe('text the stores can keep', () => {
  it.each(['a\u0000b', '\u0000', 'x\uD800', '\uDFFFx', 'a\uDC00\uD800b'])('refuses %j', (text) => {
    expect(unstorableTextProblem(text)).toBe(UNSTORABLE);
    expect(problemsOf((e) => checkText(e, 'name', text, { max: 200, required: true }))).toEqual([
      `name: ${UNSTORABLE}`,
    ]);
    expect(problemsOf((e) => checkOptionalFreeText(e, 'summary', text, 2000))).toEqual([
      `summary: ${UNSTORABLE}`,
    ]);
  });

  it.each(['plain', '🏳️‍🌈 emoji with pairs', 'a\u0301', '\uFEFFbom', 'tab\tand\nnewline'])(
    'takes %j',
    (text) => {
      expect(unstorableTextProblem(text)).toBeUndefined();
      expect(problemsOf((e) => checkText(e, 'name', text, { max: 200, required: true }))).toEqual([]);
    },
  );
});

describe('instants the stores can keep', () => {
  it('takes 1900-01-01 to the end of 9999 and refuses what lies outside', () => {
    expect(instantRangeProblem(Date.parse('1900-01-01T00:00:00.000Z'))).toBeUndefined();
    expect(instantRangeProblem(Date.parse('9999-12-31T23:59:59.999Z'))).toBeUndefined();
    const rule = 'must be from 1900-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z';
    expect(instantRangeProblem(Date.parse('1899-12-31T23:59:59.999Z'))).toBe(rule);
    expect(instantRangeProblem(Date.parse('+010000-01-01T00:00:00.000Z'))).toBe(rule);
    expect(instantRangeProblem(-8.64e15)).toBe(rule);
  });

  it('refuses them as bad fields, Dates (from GraphQL) included', () => {
    const rule = 'dueAt: must be from 1900-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z';
    expect(problemsOf((e) => checkInstant(e, 'dueAt', '0001-01-01T00:00:00Z', { required: true }))).toEqual([
      rule,
    ]);
    expect(problemsOf((e) => checkInstant(e, 'dueAt', new Date(-8.64e15), { required: true }))).toEqual([
      rule,
    ]);
    expect(problemsOf((e) => checkInstant(e, 'dueAt', '2026-05-01T09:30:00Z', { required: true }))).toEqual(
      [],
    );
  });
});
