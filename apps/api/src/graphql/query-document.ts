import { GraphQLError, Location, parse, visit, type DocumentNode } from 'graphql';

/** Refused as Mercurius refuses a query that does not parse: 400, with the parser's error. */
export class InvalidQueryError extends Error {
  readonly statusCode = 400;

  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors.map((error) => error.message).join('; '));
    this.name = 'InvalidQueryError';
  }
}

/**
 * Refuses a document that GraphQL's parser did not make. When `query` is not valid GraphQL,
 * Mercurius tries it as a JSON-encoded syntax tree, so `"query": "5"` or `"query": "{}"` became a
 * "document" that crashed validation (an internal error), and a hand-made tree would reach
 * validation and execution unchecked. Parsed documents carry the parser's `Location`; JSON
 * cannot make one. The refusal is the parser's own error (what is wrong, and where).
 */
export function assertParsedFromText(document: DocumentNode | undefined, source: unknown): void {
  if (document?.loc instanceof Location) return;
  if (typeof source === 'string') {
    try {
      parse(source);
    } catch (error) {
      if (error instanceof GraphQLError) throw new InvalidQueryError([error]);
    }
  }
  throw new InvalidQueryError([new GraphQLError('The query must be a GraphQL document, sent as text')]);
}

/**
 * Deeper nesting of braces, brackets and parentheses than this cannot be a query within the depth
 * limit. GraphQL's parser and validation recurse once per level: thousands of levels overflowed
 * the stack, answering "Maximum call stack size exceeded" or an internal error.
 */
export const MAX_QUERY_NESTING = 64;

/** Refuses query text nested deeper than `limit`, looking only at its brackets (not in strings or comments). */
export function assertNestingWithin(source: string, limit = MAX_QUERY_NESTING): void {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '#') i = endOfLine(source, i);
    else if (char === '"')
      i = source.startsWith('"""', i) ? endOfBlockString(source, i) : endOfString(source, i);
    else if (char === '{' || char === '[' || char === '(') {
      depth += 1;
      if (depth > limit) {
        throw new InvalidQueryError([
          new GraphQLError(`The query nests braces, brackets or parentheses more than ${limit} levels deep`),
        ]);
      }
    } else if (char === '}' || char === ']' || char === ')') depth = Math.max(0, depth - 1);
  }
}

function endOfLine(source: string, from: number): number {
  let i = from;
  while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i += 1;
  return i;
}

/** The index of the closing quote of the string opened at `from` (or of its line's end). */
function endOfString(source: string, from: number): number {
  let i = from + 1;
  while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
  return i;
}

/** The index of the last quote of the block string opened at `from` (`\"""` does not close it). */
function endOfBlockString(source: string, from: number): number {
  let i = from + 3;
  while (i < source.length) {
    if (source.startsWith('\\"""', i)) i += 4;
    else if (source.startsWith('"""', i)) return i + 2;
    else i += 1;
  }
  return i;
}

const NUL_RULE = 'must not contain NUL characters (U+0000)';

/**
 * Refuses text holding NUL anywhere in the variables or the query's own strings, naming where.
 * No text the service keeps can hold it (PostgreSQL refuses it), so it can only be a mistake; let
 * through, it failed the read model's queries with an internal error.
 */
export function assertNoNulCharacters(document: DocumentNode | null, variables: unknown): void {
  const fields: { path: string; message: string }[] = [];
  const pending: Array<{ value: unknown; path: string }> = [{ value: variables, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) fields.push({ path, message: NUL_RULE });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, member] of Object.entries(value)) {
        pending.push({ value: member, path: path ? `${path}.${key}` : key });
      }
    }
  }
  // Without a document: its strings were checked before (see admitQuery).
  if (document !== null) {
    visit(document, {
      StringValue(node) {
        if (node.value.includes('\u0000')) {
          const at = node.loc ? ` (line ${node.loc.startToken.line})` : '';
          fields.push({ path: `query${at}`, message: `a string ${NUL_RULE}` });
        }
      },
    });
  }
  if (fields.length > 0) {
    throw new GraphQLError(`Invalid input: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, {
      extensions: { code: 'BAD_USER_INPUT', fields },
    });
  }
}
