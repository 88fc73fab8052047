// The body of the read model's PGlite thread (started by PgliteThread). PGlite runs PostgreSQL
// compiled to WASM synchronously on the thread that calls it; here that is this worker, so the
// process's main event loop stays free while a projection batch or a query executes.
//
// Clients speak the PostgreSQL wire protocol to it over MessagePorts (node-postgres with a
// stream from PgliteThread), the same protocol and driver as against a PostgreSQL server.
import { inspect } from 'node:util';
import { isUint8Array } from 'node:util/types';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

import { PGlite } from '@electric-sql/pglite';

import {
  END_OF_CONNECTION,
  type PgliteThreadCommand,
  type PgliteThreadEvent,
  type PgliteWorkerData,
} from './pglite-thread.messages.js';

const SSL_REQUEST_CODE = 80_877_103;
const CANCEL_REQUEST_CODE = 80_877_102;
const TERMINATE = 0x58; // 'X'
/** A simple-protocol `ROLLBACK`, for a connection that went away inside a transaction. */
const ROLLBACK = simpleQuery('ROLLBACK');

if (parentPort === null) throw new Error('pglite-worker runs as a worker thread (see PgliteThread)');
const control: MessagePort = parentPort;
const report = (event: PgliteThreadEvent) => control.postMessage(event);

/**
 * One client connection. PGlite has a single backend session, so connections take turns: the
 * first in {@link connections} owns the session until it ends, the others keep what they send
 * until then. node-postgres asks for one connection at a time (a pool of one), so nobody waits
 * in practice; the turn-taking only keeps a connection that is still being torn down from
 * interleaving with its successor.
 */
class Connection {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;
  private terminated = false;

  constructor(
    private readonly pglite: PGlite,
    readonly port: MessagePort,
  ) {}

  receive(bytes: Uint8Array): void {
    if (this.terminated) return;
    // Transferred to this thread, so its memory can be used as it is.
    const received = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pending = this.pending.length === 0 ? received : Buffer.concat([this.pending, received]);
  }

  /** Executes every complete message received so far and sends back what PGlite answers. */
  run(): void {
    if (!this.started && !this.runStartup()) return;
    const end = this.completeMessagesEnd();
    if (end === 0) return;
    const batch = this.pending.subarray(0, end);
    this.pending = this.pending.subarray(end);
    // Several messages at once (node-postgres writes Parse/Bind/Describe/Execute/Sync together):
    // PGlite runs them in order, with the protocol's error handling (skip to Sync) between them.
    this.send(execute(this.pglite, batch));
  }

  /** Handles SSLRequest, CancelRequest and the startup packet; true once started. */
  private runStartup(): boolean {
    while (!this.started && this.pending.length >= 8) {
      const length = this.pending.readInt32BE(0);
      const code = this.pending.readInt32BE(4);
      if (this.pending.length < length) return false;
      const packet = this.pending.subarray(0, length);
      this.pending = this.pending.subarray(length);
      if (code === SSL_REQUEST_CODE) this.send(Buffer.from('N'));
      else if (code !== CANCEL_REQUEST_CODE) {
        this.send(this.pglite.execProtocolRawSync(packet));
        this.started = true;
      }
    }
    return this.started;
  }

  /** Where the complete messages end, stopping at Terminate (the client closes next). */
  private completeMessagesEnd(): number {
    let offset = 0;
    while (offset + 5 <= this.pending.length) {
      if (this.pending[offset] === TERMINATE) {
        this.terminated = true;
        break;
      }
      const next = offset + 1 + this.pending.readInt32BE(offset + 1);
      if (next > this.pending.length) break;
      offset = next;
    }
    return offset;
  }

  private send(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // Transfer, not copy; PGlite may hand out a view of a buffer it reuses, so own it first.
    const owned =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    this.port.postMessage(owned, [owned.buffer as ArrayBuffer]);
  }
}

/**
 * Runs protocol messages and returns PGlite's replies. Not `execProtocolRawSync` alone: by default
 * that one also parses every reply into a result list that only `execProtocol` ever empties, so
 * called on its own it kept every message it answered (about 0.5 KiB a call: the service's RSS grew
 * by gigabytes an hour under load). The stream variant hands the raw replies to a callback and
 * parses nothing. With `syncToFs: false` it does all its work before it returns; a failure inside
 * PGlite rejects its promise, which ends this thread as a thrown one did.
 */
function execute(pglite: PGlite, message: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let length = 0;
  pglite
    .execProtocolRawStream(message, {
      syncToFs: false,
      // A view of PGlite's memory, reused by the next reply: copied.
      onRawData: (chunk) => {
        chunks.push(chunk.slice());
        length += chunk.length;
      },
    })
    .catch(fail);
  if (chunks.length === 1) return chunks[0]!;
  // One buffer of its own (Buffer.concat may hand out a slice of its shared pool, which `send`
  // would then have to copy again before transferring it).
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

const connections: Connection[] = [];

function runOwner(): void {
  try {
    connections[0]?.run();
  } catch (error) {
    // Not a SQL error (those are answered on the connection): PGlite itself broke. Nothing it
    // does from here on can be trusted, so stop; the owner sees the connections close.
    fail(error);
  }
}

function endConnection(pglite: PGlite, connection: Connection): void {
  const index = connections.indexOf(connection);
  if (index < 0) return;
  connections.splice(index, 1);
  connection.port.close();
  if (index === 0) {
    // What a PostgreSQL backend does when its client disconnects mid-transaction.
    if (pglite.isInTransaction()) execute(pglite, ROLLBACK);
    runOwner();
  }
}

function accept(pglite: PGlite, port: MessagePort): void {
  const connection = new Connection(pglite, port);
  connections.push(connection);
  port.on('message', (message: unknown) => {
    if (isUint8Array(message)) {
      connection.receive(message);
      if (connections[0] === connection) runOwner();
    } else if (message === END_OF_CONNECTION) {
      endConnection(pglite, connection);
    }
  });
  port.on('close', () => endConnection(pglite, connection));
}

async function close(pglite: PGlite): Promise<void> {
  for (const connection of [...connections]) endConnection(pglite, connection);
  await pglite.close();
  report({ type: 'closed' });
  control.close();
}

function fail(error: unknown): never {
  // Emscripten throws plain objects (an errno, a status) as well as Errors.
  report({
    type: 'failed',
    message: error instanceof Error ? (error.stack ?? error.message) : inspect(error),
  });
  process.exit(1);
}

async function main(): Promise<void> {
  const { dataDir } = workerData as PgliteWorkerData;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir);
  } catch (error) {
    fail(error);
  }
  control.on('message', (command: PgliteThreadCommand) => {
    if (command.type === 'connect') accept(pglite, command.port);
    else if (command.type === 'ping') report({ type: 'pong', id: command.id });
    else if (command.type === 'close') close(pglite).catch(fail);
  });
  report({ type: 'ready' });
}

function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const message = Buffer.alloc(5 + body.length);
  message.write('Q', 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

void main();
