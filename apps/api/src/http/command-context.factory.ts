import { randomUUID } from 'node:crypto';

import type { CommandContext } from '#account-commands';
import type { Principal } from '#auth';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The metadata a request's commands carry: the caller, a correlation id (the caller's
 * `X-Correlation-Id` when it is a sane one, else a new one) and the request as the cause.
 */
export function commandContextOf(
  principal: Principal,
  headers: Record<string, string | string[] | undefined>,
): CommandContext {
  const requestId = randomUUID();
  const given = headers['x-correlation-id'];
  const correlationId = typeof given === 'string' && CORRELATION_ID.test(given) ? given : requestId;
  return { principal, correlationId, causationId: requestId };
}
