/**
 * A JSON-serializable map from ids to values that `evolve` can update without copying every
 * entry: ids are spread over {@link BUCKETS} buckets and an update copies one bucket only, so
 * folding a stream with many thousands of touchpoints stays linear.
 */
export type IdIndex<V> = { readonly [bucket: string]: { readonly [id: string]: V } };

const BUCKETS = 64;

export const EMPTY_ID_INDEX: IdIndex<never> = {};

function bucketOf(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return String((hash >>> 0) % BUCKETS);
}

export function indexGet<V>(index: IdIndex<V>, id: string): V | undefined {
  const key = bucketOf(id);
  // Own properties only: ids are caller-chosen and may be `__proto__` or `constructor`.
  if (!Object.hasOwn(index, key)) return undefined;
  const bucket = index[key];
  return Object.hasOwn(bucket, id) ? bucket[id] : undefined;
}

export function indexSet<V>(index: IdIndex<V>, id: string, value: V): IdIndex<V> {
  const key = bucketOf(id);
  const bucket = Object.hasOwn(index, key) ? index[key] : {};
  // defineProperty, not assignment: assigning `__proto__` would set the prototype instead.
  const nextBucket = Object.defineProperty({ ...bucket }, id, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return { ...index, [key]: nextBucket };
}

export function indexSize<V>(index: IdIndex<V>): number {
  return Object.values(index).reduce((sum, bucket) => sum + Object.keys(bucket).length, 0);
}
