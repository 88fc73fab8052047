export interface EmbeddedEventStoreOptions {
  /** Folder for the SQLite files; created when missing. */
  dataDir: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; loopback by default. */
  host?: string;
}

/** An EventStoreDB-compatible gRPC server that keeps events in SQLite. */
export class EmbeddedEventStore {
  private constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  get connectionString(): string {
    return `esdb://${this.host}:${this.port}?tls=false`;
  }

  static async start(options: EmbeddedEventStoreOptions): Promise<EmbeddedEventStore> {
    void options;
    throw new Error('not implemented yet');
  }

  /** Stops accepting work, ends subscriptions, closes the database. */
  async stop(): Promise<void> {}
}
