import { EMPTY_ID_INDEX, type IdIndex, indexGet, indexSet, indexSize } from './id-index.js';

describe('IdIndex', () => {
  it('stores and finds values by id, leaving the original untouched', () => {
    const one = indexSet(EMPTY_ID_INDEX as IdIndex<number>, 'a', 1);
    const two = indexSet(one, 'b', 2);
    expect(indexGet(two, 'a')).toBe(1);
    expect(indexGet(two, 'b')).toBe(2);
    expect(indexGet(one, 'b')).toBeUndefined();
    expect(indexSize(two)).toBe(2);
    expect(indexSize(indexSet(two, 'a', 3))).toBe(2);
  });

  it('treats prototype names as ordinary ids', () => {
    let index: IdIndex<string> = EMPTY_ID_INDEX;
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(indexGet(index, id)).toBeUndefined();
      index = indexSet(index, id, `v-${id}`);
    }
    expect(indexGet(index, '__proto__')).toBe('v-__proto__');
    expect(indexGet(JSON.parse(JSON.stringify(index)), '__proto__')).toBe('v-__proto__');
    expect(Object.getPrototypeOf(index)).toBe(Object.prototype);
    expect(indexSize(index)).toBe(4);
  });

  it('spreads ids over a bounded number of buckets', () => {
    let index: IdIndex<number> = EMPTY_ID_INDEX;
    for (let i = 0; i < 10_000; i += 1) index = indexSet(index, `tp-${i}`, i);
    expect(Object.keys(index).length).toBeLessThanOrEqual(64);
    expect(indexSize(index)).toBe(10_000);
    expect(indexGet(index, 'tp-1234')).toBe(1234);
  });
});
