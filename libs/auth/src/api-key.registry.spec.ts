import { timingSafeEqual } from 'node:crypto';

import { ApiKeyRegistry } from './api-key.registry.js';
import { principal } from './principal.js';

const keys = [
  { secret: 'first-secret-'.padEnd(40, 'x'), principal: principal('crm', ['integration'], 'api-key') },
  { secret: 'second-secret-'.padEnd(40, 'y'), principal: principal('ops', ['admin'], 'api-key') },
  { secret: 'third-secret-'.padEnd(64, 'z'), principal: principal('lead', ['leader'], 'api-key') },
];

function observed() {
  const calls: [Buffer, Buffer][] = [];
  const registry = new ApiKeyRegistry(keys, (a, b) => {
    calls.push([a, b]);
    return timingSafeEqual(a, b);
  });
  return { registry, calls };
}

describe('ApiKeyRegistry', () => {
  it('finds the principal of each key', () => {
    const registry = new ApiKeyRegistry(keys);
    for (const key of keys) expect(registry.lookup(key.secret)).toBe(key.principal);
  });

  it('finds nothing for an unknown key, a prefix of a key or a key with extra characters', () => {
    const registry = new ApiKeyRegistry(keys);
    expect(registry.lookup('unknown')).toBeUndefined();
    expect(registry.lookup(keys[0]!.secret.slice(0, -1))).toBeUndefined();
    expect(registry.lookup(`${keys[0]!.secret}x`)).toBeUndefined();
    expect(registry.lookup('')).toBeUndefined();
  });

  it('compares against every key, even after a match, and never stops early', () => {
    const { registry, calls } = observed();
    expect(registry.lookup(keys[0]!.secret)).toBe(keys[0]!.principal);
    expect(calls).toHaveLength(keys.length);
    calls.length = 0;
    expect(registry.lookup('nope')).toBeUndefined();
    expect(calls).toHaveLength(keys.length);
  });

  it('compares 32-byte digests only, whatever the length presented, never the secrets', () => {
    const { registry, calls } = observed();
    for (const presented of ['', 'x', 'y'.repeat(10_000), keys[2]!.secret]) registry.lookup(presented);
    expect(calls.length).toBe(4 * keys.length);
    for (const [a, b] of calls) {
      expect(a).toHaveLength(32);
      expect(b).toHaveLength(32);
      for (const key of keys) {
        expect(a.toString('latin1')).not.toContain(key.secret);
        expect(b.toString('latin1')).not.toContain(key.secret);
      }
    }
  });

  it('keeps no secret in the object', () => {
    const registry = new ApiKeyRegistry(keys);
    const dump = JSON.stringify(registry);
    for (const key of keys) expect(dump).not.toContain(key.secret);
    expect(registry.size).toBe(3);
  });
});
