import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export const REQUEST_ID_HEADER = 'x-request-id';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** What a caller may pass as its correlation id; anything else is replaced (it goes into logs and events). */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Headers = Record<string, string | string[] | undefined>;

/** One request's ids: its own, and the one shared by everything the outside request leads to. */
export interface RequestIds {
  readonly requestId: string;
  readonly correlationId: string;
}

/** A Fastify request, or the Node request under it. */
export interface RequestLike {
  readonly headers?: Headers;
  readonly raw?: object;
  readonly id?: unknown;
}

const idsOfRequest = new WeakMap<object, RequestIds>();

/** Fastify's request ids (the adapter's `genReqId`): unique across processes and restarts. */
export function newRequestId(): string {
  return randomUUID();
}

/** The caller's `X-Correlation-Id` when it is a sane one, else `requestId`. */
export function correlationIdOf(headers: Headers, requestId: string): string {
  const given = headers[CORRELATION_ID_HEADER];
  return typeof given === 'string' && CORRELATION_ID.test(given) ? given : requestId;
}

/**
 * A request's ids: Fastify's id for it (which the request logger also reads) and the correlation
 * id, the same however the request is reached (a Fastify request, or the Node one under it).
 */
export function requestIdsOf(req: RequestLike): RequestIds {
  const raw = req.raw ?? req;
  const known = idsOfRequest.get(raw);
  if (known) return known;
  const id = req.id ?? (raw as { id?: unknown }).id;
  const requestId = typeof id === 'string' && id !== '' ? id : newRequestId();
  const ids = { requestId, correlationId: correlationIdOf(req.headers ?? {}, requestId) };
  idsOfRequest.set(raw, ids);
  return ids;
}

/** Echoes each request's ids in `X-Request-Id` and `X-Correlation-Id` of its response. */
export function useRequestIdHeaders(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      const { requestId, correlationId } = requestIdsOf(request);
      reply.header(REQUEST_ID_HEADER, requestId).header(CORRELATION_ID_HEADER, correlationId);
    });
}
