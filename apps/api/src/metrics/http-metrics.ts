import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import { Metrics } from '#metrics';

/** The route label of requests no route matched (404s): their URLs are not labels. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts and times every HTTP request by method, route pattern and status, from Fastify's
 * `onResponse` hook: it sees what Nest's interceptors do not (GraphQL, 404s, requests refused by
 * a guard or the body parser). Added before the server is ready, so it applies to every route.
 */
@Injectable()
export class HttpMetrics implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      this.metrics.recordHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  }
}
