// Malformed, oversized and type-confused variants of valid inputs, made with fast-check by
// changing valid payloads: one to three changes each, at places picked among all of the payload's.
import fc from 'fast-check';

/** A value put somewhere it does not belong, and what kind of wrong it is (for reports). */
export interface WrongValue {
  readonly what: string;
  readonly value: unknown;
}

/** One change to a payload; `at` picks the place among every place of the payload (modulo their number). */
export type Change =
  | { readonly kind: 'set'; readonly at: number; readonly leaf: boolean; readonly wrong: WrongValue }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'add'; readonly at: number; readonly key: string; readonly wrong: WrongValue }
  | { readonly kind: 'wrap'; readonly at: number };

/** A change to the JSON text itself, after the payload is serialised. */
export type TextChange =
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'cut'; readonly at: number; readonly length: number }
  | { readonly kind: 'prefix'; readonly text: string }
  | { readonly kind: 'suffix'; readonly text: string };

const nested = (depth: number, arrays: boolean): unknown => {
  let value: unknown = arrays ? [] : {};
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
};

const INVALID_INSTANTS = [
  '2024-02-30T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-01-01T25:00:00Z',
  '2024-01-01T00:60:00Z',
  'yesterday',
  '',
  ' ',
  '0000-00-00T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '2024-01-01',
  '2024-01-01T00:00:00',
  '2024-01-01T00:00:00+25:00',
  '9999-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
  '1700000000000',
  'Invalid Date',
  '2024-W01',
  'NaN',
  'Infinity',
  'now',
  '2024-01-01T00:00:00.000000000001Z',
  '0001-01-01T00:00:00Z',
  '1899-12-31T23:59:59.999Z',
  '+010000-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
];

const NUMBERS_AS_STRINGS = [
  '42',
  '-1',
  '0',
  '-0',
  '+5',
  '1e309',
  '3.14',
  '0x1F',
  '1_000',
  ' 7 ',
  '9007199254740993',
];
const NOT_A_NUMBER_STRINGS = ['NaN', 'Infinity', '-Infinity', 'null', 'undefined', 'true'];
const EDGE_NUMBERS = [
  -1,
  0,
  0.5,
  1e-7,
  1e308,
  -1e308,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
];
const NASTY_TEXT = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202Eevil',
  '\u200B',
  'a\u0301\u0301\u0301',
  '🏳️‍🌈',
  '\r\n',
  '<script>alert(1)</script>',
  "'; DROP TABLE accounts; --",
  '${jndi:ldap://127.0.0.1/x}',
  '../../etc/passwd',
  '%00',
  '{{7*7}}',
  'ｆｕｌｌｗｉｄｔｈ',
  '$where',
];
const ENUM_LIKE = [
  'call',
  'Call',
  'CALL ',
  'PROSPECT\u0000',
  'prospect',
  'LOST',
  'CHURNED',
  'ACTIVE',
  'UNKNOWN',
  'EMAIL,CALL',
];

/** Values of the wrong type, shape, size or content. */
export const wrongValue: fc.Arbitrary<WrongValue> = fc.oneof(
  fc
    .oneof(
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant({}),
      fc.constant([]),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    )
    .map((value) => ({ what: 'wrong type', value })),
  fc
    .tuple(fc.integer({ min: 1_000, max: 120_000 }), fc.constantFrom('x', 'é', '😀', '\u0000', ' ', '"'))
    .map(([length, unit]) => ({ what: 'huge string', value: unit.repeat(length) })),
  fc
    .oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(...NASTY_TEXT),
    )
    .map((value) => ({ what: 'unicode', value })),
  fc.constantFrom(...NUMBERS_AS_STRINGS).map((value) => ({ what: 'number as string', value })),
  fc.constantFrom(...NOT_A_NUMBER_STRINGS).map((value) => ({ what: 'NaN/Infinity as string', value })),
  fc.constantFrom(...EDGE_NUMBERS).map((value) => ({ what: 'edge number', value })),
  fc
    .oneof(
      fc.constantFrom(...INVALID_INSTANTS),
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      fc.integer().map(String),
    )
    .map((value) => ({ what: 'invalid date', value })),
  fc
    .tuple(fc.integer({ min: 10, max: 1_000 }), fc.boolean())
    .map(([depth, arrays]) => ({ what: 'deep nesting', value: nested(depth, arrays) })),
  fc.constantFrom(...ENUM_LIKE).map((value) => ({ what: 'enum-like', value })),
);

const extraKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    ' ',
    'extra',
    '__typename',
  ),
  fc.string({ maxLength: 12 }),
);

export const change: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      at: fc.nat(),
      // Mostly a value of a field (the commonest mistake), sometimes a whole object or list.
      leaf: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
      wrong: wrongValue,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      key: extraKey,
      wrong: wrongValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }) },
);

export const textChange: fc.Arbitrary<TextChange> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'NaN', '//', '\u0000'),
      fc.string({ maxLength: 3 }),
    ),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    kind: fc.constant('prefix' as const),
    text: fc.constantFrom('\uFEFF', ' ', 'x', ")]}'\n", '['),
  }),
  fc.record({
    kind: fc.constant('suffix' as const),
    text: fc.constantFrom(' ', '\n', 'x', ',', '}', '{}', 'null'),
  }),
);

/** What one generated input is: changes to the payload, maybe to its text, maybe to its content type. */
export interface Variant {
  readonly changes: readonly Change[];
  readonly textChange: TextChange | null;
  readonly contentType: string | null;
}

const LOOSE_CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json;charset=iso-8859-1',
  'application/json, text/plain',
  'application/jsonx',
  'text/json',
  'application/json; charset=utf-16',
];

export const variant: fc.Arbitrary<Variant> = fc.record({
  changes: fc.array(change, { minLength: 1, maxLength: 3 }),
  textChange: fc.option(textChange, { freq: 8 }),
  contentType: fc.option(fc.constantFrom(...LOOSE_CONTENT_TYPES), { freq: 12 }),
});

type Path = readonly (string | number)[];

/** Places deeper than this are not picked (deeply nested values are one of the wrong values). */
const MAX_PLACE_DEPTH = 32;

/** Every place of a JSON value down to MAX_PLACE_DEPTH: itself, and every member and element. */
export function placesOf(value: unknown, path: Path = []): Path[] {
  const places: Path[] = [path];
  if (path.length >= MAX_PLACE_DEPTH) return places;
  if (Array.isArray(value)) value.forEach((item, index) => places.push(...placesOf(item, [...path, index])));
  else if (isObject(value))
    for (const [key, item] of Object.entries(value)) places.push(...placesOf(item, [...path, key]));
  return places;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isContainer = (value: unknown): boolean => typeof value === 'object' && value !== null;

/** Sets an own member, `__proto__` included (plain assignment would set the prototype). */
function setOwn(target: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], root);
}

/** `payload` (left as it is) with `changes` made, in order. */
export function applyChanges(payload: unknown, changes: readonly Change[]): unknown {
  let root: unknown = structuredClone(payload);
  for (const c of changes) {
    const all = placesOf(root);
    const leaves = all.filter((place) => !isContainer(valueAt(root, place)));
    const places = c.kind === 'set' && c.leaf && leaves.length > 0 ? leaves : all;
    const path = places[c.at % places.length];
    const replace = (value: unknown) => {
      if (path.length === 0) root = value;
      else setOwn(valueAt(root, path.slice(0, -1)) as Record<string, unknown>, path[path.length - 1], value);
    };
    switch (c.kind) {
      case 'set':
        replace(c.wrong.value);
        break;
      case 'wrap':
        replace([valueAt(root, path)]);
        break;
      case 'delete': {
        if (path.length === 0) break;
        const parent = valueAt(root, path.slice(0, -1));
        if (Array.isArray(parent)) parent.splice(Number(path[path.length - 1]), 1);
        else delete (parent as Record<string, unknown>)[path[path.length - 1] as string];
        break;
      }
      case 'add': {
        // Into the object at that place, or the nearest one around it.
        for (let depth = path.length; depth >= 0; depth--) {
          const target = valueAt(root, path.slice(0, depth));
          if (isObject(target)) {
            setOwn(target, c.key, c.wrong.value);
            break;
          }
        }
        break;
      }
    }
  }
  return root;
}

export function applyTextChange(text: string, c: TextChange | null): string {
  if (c === null) return text;
  switch (c.kind) {
    case 'insert': {
      const at = c.at % (text.length + 1);
      return text.slice(0, at) + c.text + text.slice(at);
    }
    case 'cut': {
      const at = c.at % Math.max(1, text.length);
      return text.slice(0, at) + text.slice(at + c.length);
    }
    case 'prefix':
      return c.text + text;
    case 'suffix':
      return text + c.text;
  }
}

/** A short description of a variant, for reports. */
export function describeVariant(v: Variant): string {
  const parts = v.changes.map((c) =>
    c.kind === 'set' || c.kind === 'add' ? `${c.kind}(${c.wrong.what})` : c.kind,
  );
  if (v.textChange) parts.push(`text:${v.textChange.kind}`);
  if (v.contentType) parts.push(`type:${v.contentType}`);
  return parts.join('+');
}
