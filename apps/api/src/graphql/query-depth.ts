import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Deeper queries than this are refused before they run. */
export const MAX_QUERY_DEPTH = 10;

/**
 * How many levels of selections the deepest path of the document's operations has: fields,
 * inline fragments and fragment spreads each count (nesting fragments is as costly to validate
 * and plan as nesting fields). Introspection (`__schema`, `__type`) is left out: tools such as
 * schema checkers send deep introspection queries that cost the server nothing of the read model.
 */
export function queryDepth(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const depthOf = (set: SelectionSetNode | undefined, visiting: ReadonlySet<string>): number => {
    if (set === undefined) return 0;
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visiting));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visiting));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment spread within itself is refused by validation; stop here anyway.
        if (fragment === undefined || visiting.has(name)) continue;
        deepest = Math.max(deepest, 1 + depthOf(fragment.selectionSet, new Set([...visiting, name])));
      }
    }
    return deepest;
  };
  let deepest = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      deepest = Math.max(deepest, depthOf(definition.selectionSet, new Set()));
    }
  }
  return deepest;
}

export function assertShallowEnough(document: DocumentNode, maximum = MAX_QUERY_DEPTH): void {
  const depth = queryDepth(document);
  if (depth > maximum) {
    throw new GraphQLError(
      `The query is ${depth} levels deep, more than the ${maximum} allowed: ask for less nested fields`,
      { extensions: { code: 'BAD_USER_INPUT', depth, maxDepth: maximum } },
    );
  }
}
