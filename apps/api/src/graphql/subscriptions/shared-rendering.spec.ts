import { buildSchema, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';

import { mapAsyncIterator, SharedRendering } from './shared-rendering.js';

interface Item {
  readonly n: number;
}

/** A source of payloads every subscriber shares, as the alert feed hands the same item to all. */
class Broadcast {
  private readonly waiting = new Set<(item: Item) => void>();
  returned = 0;

  stream(): AsyncIterator<Item> {
    const queue: Item[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const hear = (item: Item) => {
      queue.push(item);
      wake?.();
    };
    this.waiting.add(hear);
    return {
      next: async () => {
        while (queue.length === 0) {
          if (ended) return { done: true, value: undefined };
          await new Promise<void>((resolve) => (wake = resolve));
        }
        return { done: false, value: queue.shift()! };
      },
      return: async () => {
        this.waiting.delete(hear);
        this.returned += 1;
        ended = true;
        wake?.();
        return { done: true, value: undefined };
      },
    };
  }

  send(item: Item): void {
    for (const hear of this.waiting) hear(item);
  }
}

describe('SharedRendering', () => {
  let broadcast: Broadcast;
  let renders: number;
  let schema: GraphQLSchema;

  beforeEach(() => {
    broadcast = new Broadcast();
    renders = 0;
    schema = buildSchema(`
      type Query { ok: Boolean }
      type Note { n: Int! doubled: Int! }
      type Subscription { notes(tag: String): Note! }
    `);
    const notes = schema.getSubscriptionType()!.getFields().notes;
    notes.subscribe = () => ({ [Symbol.asyncIterator]: () => broadcast.stream() });
    notes.resolve = (item: Item) => item;
    const note = schema.getType('Note') as unknown as {
      getFields(): Record<string, { resolve?: (item: Item) => number }>;
    };
    note.getFields().doubled.resolve = (item) => {
      renders += 1;
      return item.n * 2;
    };
  });

  const subscribe = async (
    rendering: SharedRendering,
    document = parse('subscription { notes { n doubled } }'),
    audience = 'leader',
    variableValues?: Record<string, unknown>,
  ) => {
    const result = await rendering.subscribe({ schema, document, variableValues }, audience);
    if (!(Symbol.asyncIterator in result)) throw new Error(`not a stream: ${JSON.stringify(result)}`);
    return result;
  };

  it('renders a payload once for every subscriber of the same subscription and audience', async () => {
    const rendering = new SharedRendering();
    const document = parse('subscription { notes { n doubled } }');
    const streams = await Promise.all(Array.from({ length: 5 }, () => subscribe(rendering, document)));
    const next = streams.map((stream) => stream.next());
    broadcast.send({ n: 21 });
    const results = (await Promise.all(next)).map((result) => result.value as ExecutionResult);
    expect(results.map((result) => result.data)).toEqual(Array(5).fill({ notes: { n: 21, doubled: 42 } }));
    expect(renders).toBe(1);
  });

  it('renders separately for another audience, other variables or another document', async () => {
    const rendering = new SharedRendering();
    const document = parse('subscription($tag: String) { notes(tag: $tag) { doubled } }');
    const streams = [
      await subscribe(rendering, document, 'leader', { tag: 'a' }),
      await subscribe(rendering, document, 'account_manager:am-1', { tag: 'a' }),
      await subscribe(rendering, document, 'leader', { tag: 'b' }),
      await subscribe(rendering, parse('subscription { notes { n doubled } }'), 'leader'),
      await subscribe(rendering, document, 'leader', { tag: 'a' }),
    ];
    const next = streams.map((stream) => stream.next());
    broadcast.send({ n: 1 });
    await Promise.all(next);
    expect(renders).toBe(4);
  });

  it('renders each new payload again', async () => {
    const rendering = new SharedRendering();
    const document = parse('subscription { notes { n doubled } }');
    const [first, second] = [await subscribe(rendering, document), await subscribe(rendering, document)];
    for (const n of [1, 2, 3]) {
      const next = [first.next(), second.next()];
      broadcast.send({ n });
      const values = (await Promise.all(next)).map((result) => (result.value as ExecutionResult).data);
      expect(values).toEqual([{ notes: { n, doubled: n * 2 } }, { notes: { n, doubled: n * 2 } }]);
    }
    expect(renders).toBe(3);
  });

  it('serialises a payload once per key, formatting its errors, as the text every subscriber is sent', () => {
    const rendering = new SharedRendering((result) => ({ ...result, formatted: true }));
    const document = parse('subscription { notes { n doubled } }');
    const payload = { n: 4 };
    const texts = [1, 2, 3].map(() => rendering.json(payload, 'key', { schema, document }));
    expect(texts).toEqual(Array(3).fill('{"data":{"notes":{"n":4,"doubled":8}},"formatted":true}'));
    expect(renders).toBe(1);
    expect(rendering.json({ n: 5 }, 'key', { schema, document })).toContain('"doubled":10');
    expect(renders).toBe(2);
  });

  it('answers an error result, not a stream, when the subscription cannot start', async () => {
    const rendering = new SharedRendering();
    const result = await rendering.subscribe(
      { schema, document: parse('subscription { missing }') },
      'leader',
    );
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors?.length).toBeGreaterThan(0);
  });
});

describe('mapAsyncIterator', () => {
  it('ends the source at once when returned while waiting for the next value', async () => {
    const broadcast = new Broadcast();
    const mapped = mapAsyncIterator(broadcast.stream(), (item) => item.n);
    const pending = mapped.next();
    await expect(mapped.return(undefined)).resolves.toEqual({ done: true, value: undefined });
    expect(broadcast.returned).toBe(1);
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });

  it('ends the source when mapping a value fails, and passes the error on', async () => {
    const broadcast = new Broadcast();
    const mapped = mapAsyncIterator(broadcast.stream(), () => {
      throw new Error('cannot render');
    });
    const pending = mapped.next();
    broadcast.send({ n: 1 });
    await expect(pending).rejects.toThrow('cannot render');
    expect(broadcast.returned).toBe(1);
  });
});
