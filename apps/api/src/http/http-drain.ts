import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Nest destroys modules (the event store connection, the read-model database, the projectors)
 * before it closes the HTTP server, so a request in flight at SIGTERM would meet closed
 * connections. Registered in the root module, whose destroy hooks run first, this closes the
 * server first: no new connections, Fastify answers the requests it has (503 to ones arriving on
 * kept-alive connections meanwhile), and only then do the modules go.
 *
 * A request whose client has gone is a connection Node keeps open, neither idle nor ever answered,
 * until a timeout (the server's close then took about 70 s, past most orchestrators' stop timeout).
 * So this follows the requests whose handlers may still be at work: until answered, or, for one
 * whose connection closed first, until its handler is done (Fastify still runs its `onSend`), or at
 * once if its handler never started (its body never came whole). Once there are none, every
 * connection left is closed.
 */
@Injectable()
export class HttpDrain implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('HttpDrain');
  /** Requests whose handlers have not finished. */
  private readonly working = new Set<FastifyRequest>();
  private readonly handling = new WeakSet<FastifyRequest>();
  private readonly closed = new WeakSet<FastifyRequest>();
  private readonly sending = new WeakSet<FastifyRequest>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify === undefined) return;
    fastify.addHook('onRequest', async (request, reply) => {
      this.working.add(request);
      // The response closes once written, or when its connection is gone (the client left, or
      // writing the answer failed): no onResponse comes then.
      reply.raw.once('close', () => {
        this.closed.add(request);
        if (!this.handling.has(request) || this.sending.has(request)) this.finished(request);
      });
    });
    fastify.addHook('preHandler', async (request) => {
      this.handling.add(request);
    });
    fastify.addHook('onSend', async (request) => {
      this.sending.add(request);
      // Its client left while the handler worked: the handler is done now.
      if (this.closed.has(request)) this.finished(request);
    });
    fastify.addHook('onResponse', async (request) => this.finished(request));
  }

  async onModuleDestroy(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify === undefined || !fastify.server.listening) return;
    this.logger.log({ msg: 'Draining HTTP requests before shutting down', requests: this.working.size });
    // A kept-alive connection whose request has been answered would hold the close for the whole
    // keep-alive timeout: close each one as soon as it is idle.
    const idle = setInterval(() => fastify.server.closeIdleConnections(), 50);
    try {
      const closed = fastify.close();
      await Promise.race([closed, this.allFinished()]);
      // Every handler is done: what is still open is a client that left, or one about to be closed as idle.
      fastify.server.closeAllConnections();
      await closed;
    } finally {
      clearInterval(idle);
    }
  }

  private finished(request: FastifyRequest): void {
    if (!this.working.delete(request) || this.working.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private allFinished(): Promise<void> {
    if (this.working.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
