import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
} from 'graphql';
import { CloseCode, makeServer, type Context, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';

import { Authenticator, can, type Principal } from '#auth';

import { formatGraphQLErrors } from '../graphql-errors.js';
import { admitQuery } from '../query-admission.js';
import { assertNestingWithin, InvalidQueryError } from '../query-document.js';
import { DirectFrames } from './direct-frames.js';
import type { SubscriptionContext } from './risk-alerts.resolver.js';
import { FrameWriter } from './frame-writer.js';
import { SharedRendering } from './shared-rendering.js';

/** Where subscriptions are served: the GraphQL endpoint, upgraded to a WebSocket. */
export const SUBSCRIPTION_PATH = '/graphql';
/** How long a connection may stay open without `connection_init` before it is closed. */
const CONNECTION_INIT_WAIT_MS = 10_000;
/** Pings every this often; a peer that has not answered the last ping by the next is dropped. */
const KEEP_ALIVE_MS = 12_000;
/** The largest message a client may send (a subscribe message is a query and its variables). */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Distinct subscription texts whose parsed documents are kept. */
const DOCUMENTS_KEPT = 256;

interface ConnectionExtra {
  readonly socket: WebSocket;
  principal?: Principal;
}

/**
 * `riskAlerts` and any other subscription over WebSocket (`graphql-transport-ws`, through the
 * protocol's reference server, graphql-ws) at /graphql, beside Mercurius's HTTP endpoint.
 * Credentials come in `connection_init`: a connection without a role that may see alerts is
 * closed there (4403). Each subscription passes the same checks as an HTTP query (nesting, validation,
 * depth, NUL characters, cost) before it runs, and errors carry the contract's codes. Queries and
 * mutations are refused here: they go over HTTP, where the guard, the rate limit and the metrics are.
 * A notification is rendered once per distinct subscription (see {@link SharedRendering}), and
 * the frames a connection gets in one turn of the event loop leave in one write ({@link FrameWriter}).
 */
@Injectable()
export class SubscriptionServer implements OnApplicationBootstrap {
  private readonly logger = new Logger('Subscriptions');
  private readonly rendering = new SharedRendering(withContractErrors);
  private readonly frames = new FrameWriter();
  private readonly documents = new Map<string, DocumentNode>();
  private webSockets: WebSocketServer | undefined;
  private upgradeListener: ((request: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly authenticator: Authenticator,
  ) {}

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
    const webSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    const protocol = makeServer<Record<string, unknown> | undefined, ConnectionExtra>(this.options());
    this.upgradeListener = (request, socket, head) => {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== SUBSCRIPTION_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      webSockets.handleUpgrade(request, socket, head, (ws) => {
        this.frames.attach(ws, socket);
        this.serve(protocol, ws);
      });
    };
    httpServer.on('upgrade', this.upgradeListener);
    this.webSockets = webSockets;
    // The HTTP server's close waits for every connection, upgraded ones included: subscribers
    // are told to go (1001) as the close begins (the application's close always closes Fastify),
    // while the requests in flight are answered.
    this.adapterHost.httpAdapter
      .getInstance<FastifyInstance>()
      .addHook('preClose', async () => this.closeSubscriptions());
  }

  /** Closes every subscription (1001, going away) and stops taking new ones. */
  private async closeSubscriptions(): Promise<void> {
    const webSockets = this.webSockets;
    if (!webSockets) return;
    this.webSockets = undefined;
    if (this.upgradeListener) {
      this.adapterHost.httpAdapter.getHttpServer().off('upgrade', this.upgradeListener);
    }
    for (const client of webSockets.clients) client.close(1001, 'Going away');
    await new Promise<void>((resolve) => webSockets.close(() => resolve()));
  }

  private serve(
    protocol: ReturnType<typeof makeServer<Record<string, unknown> | undefined, ConnectionExtra>>,
    socket: WebSocket,
  ): void {
    const extra: ConnectionExtra = { socket };
    socket.on('error', (error) => {
      this.logger.warn({ msg: 'WebSocket error; closing the connection', err: error });
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    let pongWait: NodeJS.Timeout | undefined;
    const keepAlive = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait ??= setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.ping();
    }, KEEP_ALIVE_MS);
    socket.on('pong', () => {
      clearTimeout(pongWait);
      pongWait = undefined;
    });
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) => this.frames.send(socket, data),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(data.toString()).catch((error: unknown) => {
              this.logger.error({ msg: 'A subscription message failed', err: error });
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      extra,
    );
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      clearTimeout(pongWait);
      void closed(code, reason.toString());
    });
  }

  private options(): ServerOptions<Record<string, unknown> | undefined, ConnectionExtra> {
    return {
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      onConnect: async (ctx) => {
        try {
          const principal = await this.authenticator.authenticate(ctx.connectionParams ?? {});
          if (!can(principal, 'alerts:subscribe') && !can(principal, 'alerts:read')) return false;
          ctx.extra.principal = principal;
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: (ctx, id, payload) => this.prepare(ctx, id, payload),
      subscribe: (args) => {
        const principal = (args.contextValue as SubscriptionContext).principal;
        return this.rendering.subscribe(args, audienceOf(principal));
      },
      onNext: (_ctx, _id, _payload, _args, result) => withContractErrors(result),
      onError: (_ctx, _id, _payload, errors) => formatGraphQLErrors(errors),
    };
  }

  /** The execution arguments of a subscribe message, or the errors that refuse it. */
  private prepare(
    ctx: Context<Record<string, unknown> | undefined, ConnectionExtra>,
    id: string,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ): ExecutionArgs | readonly GraphQLError[] {
    const schema = this.schemaHost.schema;
    try {
      if (typeof payload.query !== 'string') throw new GraphQLError('query: must be GraphQL text');
      assertNestingWithin(payload.query);
      const document = this.parsed(payload.query);
      const invalid = validate(schema, document);
      if (invalid.length > 0) return invalid;
      const operationName = payload.operationName ?? undefined;
      const operation = getOperationAST(document, operationName);
      if (!operation) throw new GraphQLError('The document must name one operation to run (operationName)');
      if (operation.operation !== 'subscription') {
        throw new GraphQLError(
          `Only subscriptions are served over WebSocket; send a ${operation.operation} over HTTP (POST ${SUBSCRIPTION_PATH})`,
        );
      }
      const variables = payload.variables ?? undefined;
      admitQuery(schema, document, variables, operationName);
      const args: ExecutionArgs = { schema, document, operationName, variableValues: variables };
      const key = this.rendering.keyOf(args, audienceOf(ctx.extra.principal));
      const direct = new DirectFrames(
        ctx.extra.socket,
        id,
        (item) => this.rendering.json(item, key, args),
        this.frames,
      );
      const contextValue: SubscriptionContext = { principal: ctx.extra.principal, direct };
      return { ...args, contextValue };
    } catch (error) {
      return refusal(error);
    }
  }

  /** Parses a subscription's text once: identical texts share one document (and its renderings). */
  private parsed(query: string): DocumentNode {
    let document = this.documents.get(query);
    if (document === undefined) {
      document = parse(query);
      if (this.documents.size >= DOCUMENTS_KEPT) {
        this.documents.delete(this.documents.keys().next().value as string);
      }
      this.documents.set(query, document);
    }
    return document;
  }
}

/** What a subscriber may see: its roles, and who it is when it sees only its own accounts. */
function audienceOf(principal: Principal | undefined): string {
  if (!principal) return 'nobody';
  const roles = [...principal.roles].sort().join(',');
  return principal.roles.includes('account_manager') ? `${roles}:${principal.id}` : roles;
}

/** A result as subscribers get it: its errors with the contract's codes, nothing internal. */
function withContractErrors(result: ExecutionResult): FormattedExecutionResult {
  return result.errors ? { ...result, errors: formatGraphQLErrors(result.errors) } : result;
}

function refusal(error: unknown): readonly GraphQLError[] {
  if (error instanceof InvalidQueryError) return error.errors;
  if (error instanceof GraphQLError) return [error];
  const message = error instanceof Error ? error.message : String(error);
  return [new GraphQLError(message, { originalError: error instanceof Error ? error : undefined })];
}
