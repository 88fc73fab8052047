import type { CommandContext } from '#account-commands';
import type { Principal } from '#auth';

import { requestIdsOf } from './request-ids.js';

type RequestLike = Parameters<typeof requestIdsOf>[0];

/**
 * The metadata a request's commands carry: the caller, the request's correlation id (the
 * caller's `X-Correlation-Id` when it is a sane one, else the request id) and the request as the
 * cause; the same ids its log lines and response headers carry.
 */
export function commandContextOf(principal: Principal, req: RequestLike): CommandContext {
  const { requestId, correlationId } = requestIdsOf(req);
  return { principal, correlationId, causationId: requestId };
}
