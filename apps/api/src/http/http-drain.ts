import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/**
 * Nest destroys modules (the event store connection, the read-model database, the projectors)
 * before it closes the HTTP server, so a request in flight at SIGTERM would meet closed
 * connections. Registered in the root module, whose destroy hooks run first, this closes the
 * server first: no new connections, Fastify answers the requests it has (503 to ones arriving on
 * kept-alive connections meanwhile), and only then do the modules go.
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy {
  private readonly logger = new Logger('HttpDrain');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleDestroy(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify === undefined || !fastify.server.listening) return;
    this.logger.log({ msg: 'Draining HTTP requests before shutting down' });
    // A kept-alive connection whose request has been answered would hold the close for the whole
    // keep-alive timeout: close each one as soon as it is idle.
    const idle = setInterval(() => fastify.server.closeIdleConnections(), 50);
    try {
      await fastify.close();
    } finally {
      clearInterval(idle);
    }
  }
}
