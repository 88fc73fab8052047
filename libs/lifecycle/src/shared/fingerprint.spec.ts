import { createHash } from 'node:crypto';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { fingerprintOf } from './fingerprint.js';

function heapAfterFullCollection(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return getHeapStatistics().used_heap_size;
}

describe('fingerprintOf', () => {
  it('is the first 22 base64url characters of the SHA-256 of the values as JSON, as snapshots store it', () => {
    const values = ['tp-1', 'EMAIL', 'INBOUND', 2, null, true];
    const digest = createHash('sha256').update(JSON.stringify(values)).digest('base64url');
    expect(fingerprintOf(values)).toBe(digest.slice(0, 22));
    expect(fingerprintOf(values)).toHaveLength(22);
    expect(fingerprintOf(['tp-1', 'EMAIL', 'INBOUND', 2, null, false])).not.toBe(fingerprintOf(values));
  });

  it('keeps only its own 22 characters alive, not the whole digest it was cut from', () => {
    const count = 50_000;
    const held: string[] = new Array<string>(count);
    const before = heapAfterFullCollection();
    for (let i = 0; i < count; i += 1) held[i] = fingerprintOf([`touchpoint-${i}`]);
    const perFingerprint = (heapAfterFullCollection() - before) / count;
    // A flat 22-character string takes about 40 bytes; a slice of the 43-character digest
    // about 100 (the slice and the digest it keeps).
    expect(perFingerprint).toBeLessThan(64);
    expect(new Set(held).size).toBe(count);
  });
});
