// Decides which event store the conformance suite talks to: a real EventStoreDB when
// EVENTSTORE_CONNECTION_STRING is set, otherwise the embedded server in a fresh temp dir.
// Every test names its own streams with a random suffix so the suite also runs against a
// shared database that already holds data.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll } from '@jest/globals';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  START,
  type AllStreamRecordedEvent,
  type AppendToStreamOptions,
  type Credentials,
  type Position,
  type ReadableSubscription,
  type ReadPosition,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@eventstore/db-client';

import { EmbeddedEventStore } from '#embedded-eventstore';

export interface Target {
  readonly connectionString: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export const ADMIN: Credentials = { username: 'admin', password: 'changeit' };

/** The two append paths of the client: BatchAppend by default, Append when the call carries credentials. */
export const APPEND_PATHS: ReadonlyArray<{ readonly path: string; readonly options: AppendToStreamOptions }> =
  [
    { path: 'BatchAppend (default path)', options: {} },
    { path: 'Append (explicit credentials)', options: { credentials: ADMIN } },
  ];

export async function startTarget(): Promise<Target> {
  const external = process.env.EVENTSTORE_CONNECTION_STRING;
  if (external) {
    return { connectionString: external, embedded: false, stop: async () => {} };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'es-conformance-'));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  let es: EmbeddedEventStore;
  try {
    es = await EmbeddedEventStore.start({ dataDir, port: 0, host: '127.0.0.1' });
  } catch (error) {
    removeDataDir();
    throw error;
  }
  return {
    connectionString: es.connectionString,
    embedded: true,
    stop: async () => {
      await es.stop();
      removeDataDir();
    },
  };
}

export interface EventStoreFixture {
  readonly client: EventStoreDBClient;
  readonly target: Target;
  /** A further client on the same target (or another connection string to it), disposed after the suite. */
  newClient(connectionString?: string): EventStoreDBClient;
}

/** Starts the target before the file's tests and tears everything down after them. */
export function useEventStore(): EventStoreFixture {
  let target: Target | undefined;
  const clients: EventStoreDBClient[] = [];

  beforeAll(async () => {
    target = await startTarget();
    clients.push(EventStoreDBClient.connectionString(target.connectionString));
  }, 30_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await target?.stop();
  }, 30_000);

  const started = (): Target => {
    if (!target) throw new Error('the event store has not started');
    return target;
  };

  return {
    get client() {
      started();
      return clients[0];
    },
    get target() {
      return started();
    },
    newClient(connectionString?: string) {
      const client = EventStoreDBClient.connectionString(connectionString ?? started().connectionString);
      clients.push(client);
      return client;
    },
  };
}

/** A name no other test (or earlier run against a shared database) uses. */
export function uniqueName(label: string): string {
  return `conformance-${label}-${randomUUID().replaceAll('-', '')}`;
}

export async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export async function readEvents(
  client: EventStoreDBClient,
  streamName: string,
  options?: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  const resolved = await toArray(client.readStream(streamName, options));
  return resolved.map((r) => {
    if (!r.event) throw new Error(`a resolved event of ${streamName} has no event`);
    return r.event;
  });
}

/** The error a promise rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, it succeeded');
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/**
 * The position of the newest event in $all, or START on an empty log. Subscriptions and reads
 * start there so a shared database's history is not scanned.
 */
export async function endOfAll(client: EventStoreDBClient): Promise<ReadPosition> {
  const [last] = await toArray(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
  return last?.event?.position ?? START;
}

/** The $all records of streams starting with `prefix`, read forwards from `from` (inclusive). */
export async function readAllOf(
  client: EventStoreDBClient,
  prefix: string,
  from: ReadPosition,
): Promise<AllStreamRecordedEvent[]> {
  const resolved = await toArray(client.readAll({ fromPosition: from }));
  return resolved.flatMap((r) => (r.event && r.event.streamId.startsWith(prefix) ? [r.event] : []));
}

/**
 * Buffers everything a subscription delivers from the moment it is attached, so a test can wait
 * for the next items without losing any in between.
 */
export class Collector<T> {
  readonly items: T[] = [];
  private failure: Error | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(source: ReadableSubscription<T>) {
    source.on('data', (item) => {
      this.items.push(item);
      this.notify();
    });
    source.on('error', (error) => {
      this.failure ??= error;
      this.notify();
    });
  }

  /** Resolves with all items once `done(items)` holds; rejects on a subscription error or timeout. */
  until(done: (items: readonly T[]) => boolean, timeoutMs = 10_000): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      const check = () => {
        if (this.failure) finish(this.failure);
        else if (done(this.items)) finish();
      };
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve([...this.items]);
      };
      const timer = setTimeout(
        () =>
          finish(new Error(`subscription timed out after ${timeoutMs} ms with ${this.items.length} item(s)`)),
        timeoutMs,
      );
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves once at least `count` items arrived. */
  atLeast(count: number, timeoutMs?: number): Promise<T[]> {
    return this.until((items) => items.length >= count, timeoutMs);
  }

  private notify() {
    for (const listener of [...this.listeners]) listener();
  }
}

interface Emitter {
  once(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** Resolves when `emitter` emits `event`; rejects on 'error' or after `timeoutMs`. */
export function waitFor(emitter: Emitter, event: string, timeoutMs = 10_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onEvent = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
      emitter.off('error', onError);
    };
    emitter.once(event, onEvent);
    emitter.once('error', onError);
  });
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
