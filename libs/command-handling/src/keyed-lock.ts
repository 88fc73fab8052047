/**
 * Runs work for the same key one at a time, in arrival order; different keys run concurrently.
 * Commands on one stream in one process then queue instead of racing each other into
 * wrong-expected-version retries; only writers in other processes can still conflict.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
