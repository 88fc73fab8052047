import { KeyedLock } from './keyed-lock.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('KeyedLock', () => {
  it('runs work for one key one at a time, in order, and other keys alongside', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const job = (key: string, n: number) =>
      lock.run(key, async () => {
        log.push(`${key}${n}:start`);
        await tick();
        log.push(`${key}${n}:end`);
        return n;
      });
    const results = await Promise.all([job('a', 1), job('a', 2), job('b', 1)]);
    expect(results).toEqual([1, 2, 1]);
    expect(log.indexOf('a1:end')).toBeLessThan(log.indexOf('a2:start'));
    expect(log.indexOf('b1:start')).toBeLessThan(log.indexOf('a1:end'));
  });

  it('keeps going after a failure and forgets idle keys', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('k', async () => 'next')).resolves.toBe('next');
    await tick();
    expect((lock as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
  });
});
