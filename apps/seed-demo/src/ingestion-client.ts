/** A refusal as the service reports it: its code, message and, for bad input, the first bad field. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

export type ItemOutcome =
  { readonly status: 'created' | 'duplicate' } | { readonly status: 'rejected'; readonly error: Refusal };

/** The run cannot go on (no service, a key that is refused, a request the service cannot take). */
export class SeedAbortedError extends Error {}

/** Per-item codes that mean "nothing was written, the same item may simply be sent again". */
const RETRYABLE_ITEM_CODES = new Set(['UNAVAILABLE', 'CONFLICT']);
const MAX_ATTEMPTS = 6;

/** At most `size` tasks at once; the others wait their turn in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

interface Answer {
  readonly status: number;
  readonly body: any;
}

/**
 * The service's REST ingestion as the seeder uses it. Every item carries its own id, so a
 * request that failed in transit (or was refused as "retry") is sent again as it was: what had
 * been written comes back as a duplicate, never twice.
 */
export class IngestionClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(
    url: string,
    token: string,
    private readonly limiter: Limiter,
    private readonly backoffMs = 250,
  ) {
    this.base = url.replace(/\/+$/, '');
    this.authorization = /^bearer\s/i.test(token) ? token : `Bearer ${token}`;
  }

  /** Fails fast, writing nothing, when no service answers or the key may not ingest. */
  async checkAccess(): Promise<void> {
    let answer: Answer;
    try {
      // An empty batch passes authentication and authorisation, then fails validation: no write.
      answer = await this.request('/v1/accounts', { accounts: [] });
    } catch (error) {
      throw new SeedAbortedError(`No service answers at ${this.base}: ${(error as Error).message}`);
    }
    if (answer.status === 401)
      throw new SeedAbortedError('The service refused the token (401): check --token');
    if (answer.status === 403) {
      throw new SeedAbortedError('The token may not ingest (403): use an integration or admin key');
    }
    if (answer.status === 404)
      throw new SeedAbortedError(`No ingestion API at ${this.base}/v1 (404): check --url`);
  }

  /** Posts one batch and answers one outcome per item, in order. */
  async batch(path: string, field: string, items: readonly object[]): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = new Array(items.length);
    let pending = items.map((_, index) => index);
    let lastRefusal: Refusal = { code: 'UNAVAILABLE', message: 'not sent' };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && pending.length > 0; attempt++) {
      if (attempt > 1) await this.pause(attempt);
      const answer = await this.attempt(path, { [field]: pending.map((index) => items[index]) });
      if ('refusal' in answer) {
        lastRefusal = answer.refusal;
        if (answer.retry) continue;
        for (const index of pending) outcomes[index] = { status: 'rejected', error: answer.refusal };
        return outcomes;
      }
      const results = answer.body.results as Array<{ status: string; error?: Refusal }>;
      const retry: number[] = [];
      results.forEach((result, i) => {
        const index = pending[i];
        if (result.status === 'created' || result.status === 'duplicate') {
          outcomes[index] = { status: result.status };
          return;
        }
        const error = refusalOf(result.error);
        if (RETRYABLE_ITEM_CODES.has(error.code)) {
          lastRefusal = error;
          retry.push(index);
        } else {
          outcomes[index] = { status: 'rejected', error };
        }
      });
      pending = retry;
    }
    for (const index of pending) outcomes[index] = { status: 'rejected', error: lastRefusal };
    return outcomes;
  }

  /**
   * Posts one single operation (stage change, fulfil, renegotiate, cancel). "unchanged" (the
   * operation had already happened) is answered as a duplicate.
   */
  async operation(path: string, body: object): Promise<ItemOutcome> {
    let lastRefusal: Refusal = { code: 'UNAVAILABLE', message: 'not sent' };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) await this.pause(attempt);
      const answer = await this.attempt(path, body);
      if ('refusal' in answer) {
        lastRefusal = answer.refusal;
        if (answer.retry) continue;
        return { status: 'rejected', error: answer.refusal };
      }
      return { status: answer.body.status === 'created' ? 'created' : 'duplicate' };
    }
    return { status: 'rejected', error: lastRefusal };
  }

  private async attempt(
    path: string,
    body: object,
  ): Promise<{ body: any } | { refusal: Refusal; retry: boolean }> {
    let answer: Answer;
    try {
      answer = await this.request(path, body);
    } catch (error) {
      return { refusal: { code: 'UNAVAILABLE', message: (error as Error).message }, retry: true };
    }
    const { status } = answer;
    if (status === 200) return { body: answer.body };
    if (status === 401 || status === 403) {
      throw new SeedAbortedError(`The service refused the token (${status}) on ${path}`);
    }
    if (status === 413) throw new SeedAbortedError(`The service found a request to ${path} too large (413)`);
    const refusal = refusalOf(answer.body, `HTTP_${status}`);
    const retry = status === 429 || status >= 500 || RETRYABLE_ITEM_CODES.has(refusal.code);
    return { refusal, retry };
  }

  private request(path: string, body: object): Promise<Answer> {
    return this.limiter.run(async () => {
      const response = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (a proxy's error page): kept as text for the message.
      }
      return { status: response.status, body: parsed };
    });
  }

  private pause(attempt: number): Promise<void> {
    const ms = Math.min(5_000, this.backoffMs * 2 ** (attempt - 2));
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function refusalOf(body: any, fallbackCode = 'REJECTED'): Refusal {
  if (body === null || typeof body !== 'object') {
    return {
      code: fallbackCode,
      message: typeof body === 'string' && body ? body.slice(0, 500) : 'no details',
    };
  }
  const message = Array.isArray(body.message)
    ? body.message.join('; ')
    : String(body.message ?? 'no details');
  const field = typeof body.field === 'string' ? body.field : body.fields?.[0]?.path;
  return { code: String(body.code ?? fallbackCode), message, ...(field ? { field } : {}) };
}
