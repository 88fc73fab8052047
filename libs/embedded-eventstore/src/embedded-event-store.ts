import { Server, ServerCredentials } from '@grpc/grpc-js';
import { gossipImplementation, serverFeaturesImplementation } from './grpc/cluster-services.js';
import { GossipService, ServerFeaturesService } from './grpc/protocol.js';
import { StreamsService } from './grpc/streams-service.js';
import { StreamsServiceDefinition } from './grpc/wire.js';
import { EventLog } from './storage/event-log.js';
import type { IntegrityReport } from './storage/integrity.js';

export interface EmbeddedEventStoreOptions {
  /** Folder for the SQLite files; created when missing. */
  dataDir: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; loopback by default. */
  host?: string;
}

const SHUTDOWN_GRACE_MS = 2000;

/**
 * An EventStoreDB-compatible gRPC server that keeps events in SQLite. It speaks the protocol
 * that `@eventstore/db-client` uses, so the application talks to it exactly as to EventStoreDB.
 */
export class EmbeddedEventStore {
  private stopping?: Promise<void>;

  private constructor(
    private readonly server: Server,
    private readonly log: EventLog,
    private readonly streams: StreamsService,
    readonly host: string,
    readonly port: number,
  ) {}

  get connectionString(): string {
    return `esdb://${this.host}:${this.port}?tls=false`;
  }

  /** What the start-up check found of the previous run (unclean shutdown, discarded torn tail). */
  get integrity(): IntegrityReport {
    return this.log.integrity;
  }

  static async start(options: EmbeddedEventStoreOptions): Promise<EmbeddedEventStore> {
    const host = options.host ?? '127.0.0.1';
    const log = EventLog.open(options.dataDir);
    const streams = new StreamsService(log);
    const server = new Server({
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      'grpc.keepalive_permit_without_calls': 1,
    });
    let boundPort = options.port ?? 0;
    server.addService(StreamsServiceDefinition, streams.implementation());
    server.addService(
      GossipService,
      gossipImplementation(() => ({ host, port: boundPort })),
    );
    server.addService(ServerFeaturesService, serverFeaturesImplementation());
    try {
      boundPort = await new Promise<number>((resolve, reject) =>
        server.bindAsync(`${host}:${boundPort}`, ServerCredentials.createInsecure(), (error, port) =>
          error ? reject(error) : resolve(port),
        ),
      );
    } catch (error) {
      await log.close();
      throw error;
    }
    return new EmbeddedEventStore(server, log, streams, host, boundPort);
  }

  /** Stops accepting work, ends subscriptions, commits what was queued, closes the database. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.streams.closeAll();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.server.forceShutdown();
          resolve();
        }, SHUTDOWN_GRACE_MS);
        this.server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await this.log.close();
    })();
    return this.stopping;
  }
}
