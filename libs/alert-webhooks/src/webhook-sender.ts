import type { WebhookTarget } from './webhook-target.js';

/** One signed request, ready to send. */
export interface WebhookRequest {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What one attempt came to: a 2xx, or why not (an HTTP status or a transport error). */
export type SendOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly error: string };

/**
 * POSTs `request` to `target` once. Only a 2xx counts as delivered: a redirect is not followed
 * (the signed body goes nowhere but the configured URL) and counts as a failure. The attempt ends
 * after `timeoutMs` or when `signal` aborts (lease lost, shutdown); the response's body is not read.
 */
export async function sendWebhook(
  target: WebhookTarget,
  request: WebhookRequest,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<SendOutcome> {
  // One controller per attempt, its listener removed afterwards: AbortSignal.any() over the lease's
  // long-lived signal would keep a dependent signal per request until the lease ends.
  const attempt = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    attempt.abort(new Error(`no answer within ${options.timeoutMs} ms`));
  }, options.timeoutMs);
  const caller = options.signal;
  const abortWithCaller = () => attempt.abort(caller?.reason);
  if (caller?.aborted) abortWithCaller();
  else caller?.addEventListener('abort', abortWithCaller, { once: true });
  const signal = attempt.signal;
  try {
    const response = await fetch(target.href, {
      method: 'POST',
      body: request.body,
      headers: {
        ...request.headers,
        ...(target.authorization === undefined ? {} : { authorization: target.authorization }),
      },
      redirect: 'manual',
      signal,
    });
    // Frees the connection for the next request without waiting for a body nobody reads.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, error: describeFailure(error, signal, timedOut) };
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', abortWithCaller);
  }
}

function describeFailure(error: unknown, signal: AbortSignal, timedOut: boolean): string {
  if (signal.aborted) {
    const reason = signal.reason as Partial<Error> | undefined;
    return timedOut ? String(reason?.message) : `aborted: ${reason?.message ?? String(reason)}`;
  }
  // Duck-typed: errors thrown inside fetch may come from another realm than this module's Error.
  const failure = error as Partial<Error> & { cause?: Partial<Error> };
  if (typeof failure?.message !== 'string') return String(error);
  // undici says "fetch failed" and puts the reason (ECONNREFUSED, a TLS error, ...) in `cause`.
  const cause = failure.cause?.message;
  return typeof cause === 'string' ? `${failure.message}: ${cause}` : failure.message;
}
