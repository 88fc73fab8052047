import {
  createSourceEventStream,
  execute,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

type Rendering = ExecutionResult | Promise<ExecutionResult>;
type Serialised = string | Promise<string>;

/** What a rendering's `errors` become in the message a subscriber gets. */
export type ResultFormatter = (result: ExecutionResult) => object;

/**
 * Subscriptions whose notifications are rendered once per distinct subscription rather than once
 * per subscriber. graphql-js executes a subscription's selection set again for every payload and
 * every subscriber; with a thousand leaders subscribed the same way, that was most of the cost of
 * delivering an alert. Here the result for a payload is kept (weakly, with the payload) under the
 * subscription's rendering key, and every subscriber with the same key gets that same result.
 *
 * Sound because rendering a payload does not depend on who reads it: whether a subscriber gets a
 * payload at all is decided by the subscription's source stream (its filter and the subscriber's
 * role), and the fields of a notification are plain data. The key still holds the audience, so two
 * subscribers share a rendering only when they also see the same accounts.
 */
export class SharedRendering {
  private readonly renderings = new WeakMap<object, Map<string, Rendering>>();
  private readonly serialised = new WeakMap<object, Map<string, Serialised>>();
  private readonly documentIds = new WeakMap<DocumentNode, number>();
  private nextDocumentId = 1;

  constructor(private readonly format: ResultFormatter = (result) => result) {}

  /**
   * graphql-js's `subscribe`, except that each payload's result is shared by every subscription
   * with the same rendering key. `audience` names what the subscriber may see.
   */
  async subscribe(
    args: ExecutionArgs,
    audience: string,
  ): Promise<ClosableAsyncIterator<ExecutionResult> | ExecutionResult> {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    const key = this.keyOf(args, audience);
    return mapAsyncIterator(source[Symbol.asyncIterator](), (payload) => this.render(payload, key, args));
  }

  private render(payload: unknown, key: string, args: ExecutionArgs): Rendering {
    // Primitive payloads cannot key a WeakMap; they are cheap to render anyway.
    if (typeof payload !== 'object' || payload === null) return execute({ ...args, rootValue: payload });
    return once(this.renderings, payload, key, () => execute({ ...args, rootValue: payload }));
  }

  /**
   * The payload of a `next` message for `payload` as JSON text, made once per rendering key and
   * kept as long as the payload is: what every subscriber with that key is sent.
   */
  json(payload: object, key: string, args: ExecutionArgs): Serialised {
    return once(this.serialised, payload, key, () => {
      const rendering = this.render(payload, key, args);
      const serialise = (result: ExecutionResult) => JSON.stringify(this.format(result));
      return rendering instanceof Promise ? rendering.then(serialise) : serialise(rendering);
    });
  }

  /** The key under which subscriptions share renderings: same document, operation, variables, audience. */
  keyOf(args: ExecutionArgs, audience: string): string {
    // Documents are parsed once per text (see the subscription server), so one text is one id.
    let documentId = this.documentIds.get(args.document);
    if (documentId === undefined) {
      documentId = this.nextDocumentId++;
      this.documentIds.set(args.document, documentId);
    }
    return JSON.stringify([documentId, args.operationName ?? null, args.variableValues ?? null, audience]);
  }
}

/** An async iterator that can always be ended early (`return`) or failed (`throw`). */
export interface ClosableAsyncIterator<T> extends AsyncIterableIterator<T> {
  return(value?: unknown): Promise<IteratorResult<T>>;
  throw(error?: unknown): Promise<IteratorResult<T>>;
}

/** The value kept for (payload, key), made by `make` the first time. */
function once<V>(kept: WeakMap<object, Map<string, V>>, payload: object, key: string, make: () => V): V {
  let byKey = kept.get(payload);
  if (byKey === undefined) {
    byKey = new Map();
    kept.set(payload, byKey);
  }
  let value = byKey.get(key);
  if (value === undefined) {
    value = make();
    byKey.set(key, value);
  }
  return value;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}

/**
 * Maps an async iterator as graphql-js does for subscriptions: `return()` reaches the source at
 * once, even while a `next()` is waiting for the next payload (a generator would queue it behind
 * that wait, and a closed subscription would linger until its next alert).
 */
export function mapAsyncIterator<T, U>(
  source: AsyncIterator<T>,
  map: (value: T) => U | Promise<U>,
): ClosableAsyncIterator<U> {
  const close = async (): Promise<void> => {
    await source.return?.();
  };
  const mapped = async (result: IteratorResult<T>): Promise<IteratorResult<U>> => {
    if (result.done) return { done: true, value: undefined };
    try {
      return { done: false, value: await map(result.value) };
    } catch (error) {
      await close().catch(() => undefined);
      throw error;
    }
  };
  const iterator: ClosableAsyncIterator<U> = {
    async next() {
      return mapped(await source.next());
    },
    async return() {
      return typeof source.return === 'function'
        ? mapped(await source.return())
        : { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      if (typeof source.throw === 'function') return mapped(await source.throw(error));
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
