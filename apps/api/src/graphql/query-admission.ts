import { Kind, type DocumentNode, type GraphQLSchema, type TypeNode } from 'graphql';

import { assertAffordable } from './query-cost.js';
import { assertShallowEnough } from './query-depth.js';
import { assertNoNulCharacters } from './query-document.js';

/** Admissions remembered per document: enough for its usual shapes of paging. */
const SHAPES_PER_DOCUMENT = 64;

/**
 * For each parsed document (Mercurius and the subscription server keep one per query text), the
 * variable values and operation under which it was admitted. Its depth and the NULs in its own
 * strings are the document's alone; its cost also depends on the Int and Boolean variables (a
 * page size, an `@include`), never on the others (an id, a filter's text), so a document asked
 * again with other ids is not priced again.
 */
const admitted = new WeakMap<DocumentNode, Set<string>>();

/**
 * Refuses, before it runs, a query deeper than allowed, holding NUL in its strings or variables,
 * or costing more than allowed, with the error that names the rule; each check is computed once
 * per document and shape of variables.
 */
export function admitQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): void {
  const shape = costShape(document, variables, operationName);
  const shapes = admitted.get(document);
  if (shapes?.has(shape)) {
    // The document's own strings were checked when it was first admitted; the variables are new.
    assertNoNulCharacters(null, variables);
    return;
  }
  assertShallowEnough(document);
  assertNoNulCharacters(document, variables);
  assertAffordable(schema, document, variables, operationName);
  if (shapes === undefined) admitted.set(document, new Set([shape]));
  else {
    if (shapes.size >= SHAPES_PER_DOCUMENT) shapes.clear();
    shapes.add(shape);
  }
}

/** The operation and the values of the variables the cost can depend on: those declared Int or Boolean. */
function costShape(
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): string {
  const values: unknown[] = [operationName ?? null];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = namedType(variable.type);
      if (type === 'Int' || type === 'Boolean') {
        const name = variable.variable.name.value;
        values.push(name, variables?.[name] ?? null);
      }
    }
  }
  return JSON.stringify(values);
}

/** The named type under any non-null and list wrappers. */
function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}
