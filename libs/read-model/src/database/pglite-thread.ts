import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Duplex } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

import {
  END_OF_CONNECTION,
  type PgliteThreadCommand,
  type PgliteThreadEvent,
  type PgliteWorkerData,
} from './pglite-thread.messages.js';

const WORKER_SCRIPT = 'pglite-worker';

/**
 * PGlite (PostgreSQL compiled to WASM) in a worker thread, so that its work does not block this
 * thread's event loop. Clients connect with node-postgres: pass `() => thread.connect()` as the
 * `stream` of a pool of ONE connection. PGlite has a single session, so the pool is what queues
 * queries and keeps each transaction on the session alone; a connection that ends inside a
 * transaction is rolled back, as a PostgreSQL server would.
 */
export class PgliteThread {
  private status: 'running' | 'closing' | 'stopped' = 'running';
  private closedCleanly = false;
  private failure: string | undefined;
  private closing: Promise<void> | undefined;
  private pings = 0;
  private readonly pongWaiters = new Map<number, (error?: Error) => void>();

  private constructor(
    private readonly worker: Worker,
    private readonly exited: Promise<number>,
    readonly dataDir: string,
  ) {}

  /**
   * Starts the thread and opens (creating if need be) the PGlite database in `dataDir`;
   * `onFailure` hears of PGlite breaking afterwards (the thread is gone then).
   */
  static async start(
    dataDir: string,
    onFailure: (message: string) => void = () => {},
  ): Promise<PgliteThread> {
    const worker = new Worker(workerScript(), {
      workerData: { dataDir } satisfies PgliteWorkerData,
      execArgv: workerExecArgv(),
    });
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    let thread: PgliteThread | undefined;
    const opened = new Promise<PgliteThread>((resolve, reject) => {
      worker.on('message', (event: PgliteThreadEvent) => {
        if (event.type === 'ready') {
          thread = new PgliteThread(worker, exited, dataDir);
          resolve(thread);
        } else if (event.type === 'pong') {
          const waiter = thread?.pongWaiters.get(event.id);
          thread?.pongWaiters.delete(event.id);
          waiter?.();
        } else if (event.type === 'closed') {
          if (thread) thread.closedCleanly = true;
          // PGlite is closed, its files written: nothing left there worth waiting for.
          void worker.terminate();
        } else if (thread === undefined) {
          reject(new Error(`PGlite could not open ${dataDir}: ${event.message}`));
        } else {
          thread.failure = event.message;
          onFailure(event.message);
        }
      });
      // Without a listener an error in the thread would be thrown on this one.
      worker.on('error', (error) => {
        const message = error.stack ?? error.message;
        if (thread === undefined) reject(new Error(`PGlite's thread for ${dataDir} failed: ${message}`));
        else {
          thread.failure ??= message;
          onFailure(message);
        }
      });
      void exited.then((code) => {
        if (thread === undefined) reject(new Error(`PGlite's thread for ${dataDir} exited (code ${code})`));
        else {
          if (thread.status === 'running' && thread.failure === undefined) {
            thread.failure = `exited unexpectedly (code ${code})`;
            onFailure(thread.failure);
          }
          thread.status = 'stopped';
          for (const waiter of thread.pongWaiters.values()) waiter(new Error(thread.unavailable()));
          thread.pongWaiters.clear();
        }
      });
    });
    return opened;
  }

  /** A new connection, as node-postgres's `stream` option wants it. */
  connect(): Duplex {
    return new PgliteConnection(this);
  }

  /** @internal The port of a new connection; throws once the thread has stopped or is closing. */
  openPort(): MessagePort {
    if (this.status !== 'running') throw new Error(this.unavailable());
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ type: 'connect', port: port2 } satisfies PgliteThreadCommand, [port2]);
    return port1;
  }

  /**
   * Resolves when the thread answers, which it does between two statements: unlike a query,
   * without waiting for the transaction under way (a projection batch) to end.
   */
  ping(): Promise<void> {
    if (this.status !== 'running') return Promise.reject(new Error(this.unavailable()));
    const id = ++this.pings;
    return new Promise<void>((resolve, reject) => {
      // Answered by a pong, or failed when the thread exits: every ping leaves the map.
      this.pongWaiters.set(id, (error) => (error ? reject(error) : resolve()));
      this.worker.postMessage({ type: 'ping', id } satisfies PgliteThreadCommand);
    });
  }

  private unavailable(): string {
    const state = this.failure ? `broken: ${this.failure}` : 'closed';
    return `The read model's PGlite thread (${this.dataDir}) is ${state}`;
  }

  /**
   * Rolls back whatever is still open, closes PGlite (it writes its files out and shuts down
   * cleanly) and ends the thread. Close the client pool first. Rejects if the thread had
   * broken or ended without closing the database.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.status === 'running') {
        this.status = 'closing';
        this.worker.postMessage({ type: 'close' } satisfies PgliteThreadCommand);
      }
      const code = await this.exited;
      if (!this.closedCleanly) {
        throw new Error(
          `PGlite's thread for ${this.dataDir} stopped without closing the database (${this.failure ?? `exit code ${code}`})`,
        );
      }
    })();
    return this.closing;
  }
}

/**
 * A connection to the PGlite thread shaped like the `net.Socket` node-postgres uses: protocol
 * bytes written in one tick (a query's Parse/Bind/Describe/Execute/Sync) go over as one message.
 */
class PgliteConnection extends Duplex {
  private port: MessagePort | undefined;
  private outgoing: Buffer[] = [];
  private outgoingBytes = 0;
  private flushScheduled = false;

  constructor(private readonly thread: PgliteThread) {
    super();
  }

  connect(): this {
    let port: MessagePort;
    try {
      port = this.thread.openPort();
    } catch (error) {
      process.nextTick(() => this.destroy(error as Error));
      return this;
    }
    this.port = port;
    port.on('message', (bytes: Uint8Array) => {
      this.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
    port.on('close', () => {
      // The thread closed it (closing, or broken); when this side closed it, port is unset.
      if (this.port === port) {
        this.port = undefined;
        this.destroy(
          new Error(`The read model's PGlite thread (${this.thread.dataDir}) closed the connection`),
        );
      }
    });
    process.nextTick(() => this.emit('connect'));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    this.port?.ref();
    return this;
  }

  unref(): this {
    this.port?.unref();
    return this;
  }

  override _read(): void {
    // Bytes are pushed as the thread sends them.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.port === undefined) {
      callback(new Error(`Not connected to the read model's PGlite thread (${this.thread.dataDir})`));
      return;
    }
    this.outgoing.push(chunk);
    this.outgoingBytes += chunk.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.disconnect();
    this.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.disconnect();
    callback(error);
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.port === undefined || this.outgoingBytes === 0) return;
    // A fresh buffer of its own, so it can be transferred rather than copied.
    const bytes = new Uint8Array(this.outgoingBytes);
    let offset = 0;
    for (const chunk of this.outgoing) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    this.outgoing = [];
    this.outgoingBytes = 0;
    this.port.postMessage(bytes, [bytes.buffer]);
  }

  private disconnect(): void {
    this.flush();
    const port = this.port;
    if (port === undefined) return;
    this.port = undefined;
    port.postMessage(END_OF_CONNECTION);
    port.close();
  }
}

/**
 * The compiled worker beside this file; when this file is the TypeScript source (Jest), the
 * one `npm run build` put under dist/ (a thread cannot run TypeScript).
 */
function workerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return new URL(`./${WORKER_SCRIPT}.js`, import.meta.url);
  const source = join(dirname(here), `${WORKER_SCRIPT}.ts`);
  for (let dir = dirname(here); dirname(dir) !== dir; dir = dirname(dir)) {
    const compiled = join(dir, 'dist', relative(dir, source)).replace(/\.ts$/, '.js');
    if (!existsSync(compiled)) continue;
    if (statSync(compiled).mtimeMs < statSync(source).mtimeMs) {
      throw new Error(`${compiled} is older than ${source}: run \`npm run build\``);
    }
    return pathToFileURL(compiled);
  }
  throw new Error(`No compiled ${WORKER_SCRIPT}.js for ${source}: run \`npm run build\``);
}

/** Node options a worker accepts that matter to the PGlite thread's own diagnostics. */
const WORKER_OPTIONS = new Set([
  '--enable-source-maps',
  '--no-warnings',
  '--no-deprecation',
  '--trace-warnings',
  '--trace-deprecation',
  '--trace-uncaught',
]);

/**
 * The PGlite thread's Node options: those of this process that a worker accepts and that matter
 * to it. A worker refuses V8 and per-process options (`--max-old-space-size`, `--input-type`,
 * `--inspect`, …), which it would otherwise inherit; an operator bounding the service's heap on
 * the command line would have had the read model fail to open.
 */
function workerExecArgv(): string[] {
  return process.execArgv.filter((arg) => WORKER_OPTIONS.has(arg.split('=')[0]));
}
