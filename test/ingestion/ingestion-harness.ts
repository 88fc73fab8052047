import { randomUUID } from 'node:crypto';

import { StreamNotFoundError } from '@eventstore/db-client';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';

import { EventStoreConnection } from '#eventstore';
import { accountStreamName } from '#lifecycle';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { tempDir } from '../support/helpers.js';

/** One API key per role (secrets of at least 32 characters), and the principal each stands for. */
export const KEYS = {
  integration: { principal: 'crm-sync', secret: 'integration-key-ingestion-e2e-0123456789' },
  account_manager: { principal: 'am-1', secret: 'manager-key-ingestion-e2e-0123456789abcd' },
  leader: { principal: 'lead-1', secret: 'leader-key-ingestion-e2e-0123456789abcdef' },
  admin: { principal: 'ops-1', secret: 'admin-key-ingestion-e2e-0123456789abcdefg' },
} as const;
export type KeyRole = keyof typeof KEYS;

export const JWT_SECRET = 'jwt-secret-ingestion-e2e-0123456789abcdefgh';

export const INTEGRATION = { authorization: `Bearer ${KEYS.integration.secret}` } as const;

export function keyHeaders(role: KeyRole): Record<string, string> {
  return { authorization: `Bearer ${KEYS[role].secret}` };
}

/** An HS256 JWT for `sub` with `roles`, valid for five minutes. */
export async function jwtHeaders(sub: string, roles: readonly string[]): Promise<Record<string, string>> {
  const token = await new SignJWT({ sub, roles: [...roles] })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
    .sign(new TextEncoder().encode(JWT_SECRET));
  return { authorization: `Bearer ${token}` };
}

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
}

export interface StoredEvent {
  readonly type: string;
  readonly revision: bigint;
  readonly data: Record<string, any>;
  readonly metadata: Record<string, any>;
}

export interface SendOptions {
  readonly headers?: Record<string, string>;
  /** A JSON value to send (serialised here). */
  readonly json?: unknown;
  /** Bytes to send as they are, with `Content-Type: application/json`. */
  readonly raw?: string;
}

export interface IngestionApp {
  readonly app: NestFastifyApplication;
  readonly url: string;
  send(method: 'GET' | 'POST', path: string, options?: SendOptions): Promise<Answer>;
  /** POST with the integration key unless other headers are given. */
  post(path: string, json: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** The account's stream as stored, read with the application's own `@eventstore/db-client`. */
  events(accountId: string): Promise<StoredEvent[]>;
  close(): Promise<void>;
}

/**
 * Boots the whole app on a free port with the embedded event store in a temp DATA_DIR (removed on
 * close), or in `env.DATA_DIR` when given (kept, so a second boot finds the same store).
 */
export async function bootIngestionApp(env: Record<string, string> = {}): Promise<IngestionApp> {
  const dir = env.DATA_DIR
    ? { path: env.DATA_DIR, remove: async () => undefined }
    : await tempDir('ingestion-e2e');
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: Object.entries(KEYS)
          .map(([role, key]) => `${role}:${key.principal}:${key.secret}`)
          .join(','),
        AUTH_JWT_SECRET: JWT_SECRET,
        ...env,
        DATA_DIR: dir.path,
      },
    });
    const url = await startApp(app, { port: 0 });
    const client = app.get(EventStoreConnection).client;
    const booted = app;

    const send: IngestionApp['send'] = async (method, path, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined;
      if (options.raw !== undefined || options.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = options.raw ?? JSON.stringify(options.json);
      }
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, text };
    };

    return {
      app: booted,
      url,
      send,
      post: (path, json, headers = INTEGRATION) => send('POST', path, { json, headers }),
      async events(accountId) {
        const out: StoredEvent[] = [];
        try {
          for await (const resolved of client.readStream(accountStreamName(accountId))) {
            const event = resolved.event!;
            out.push({
              type: event.type,
              revision: event.revision,
              data: event.data as Record<string, any>,
              metadata: event.metadata as Record<string, any>,
            });
          }
        } catch (error) {
          if (!(error instanceof StreamNotFoundError)) throw error;
        }
        return out;
      },
      async close() {
        await booted.close();
        await dir.remove();
      },
    };
  } catch (error) {
    await app?.close();
    await dir.remove();
    throw error;
  }
}

/** A fresh id, so that tests never share an account (or a touchpoint, or a commitment). */
export const uid = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 13)}`;

/** An instant `offsetMs` from now, as the ISO string an integration sends. */
export const at = (offsetMs: number): string => new Date(Date.now() + offsetMs).toISOString();

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export function accountInput(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name: `Account ${id}`, tier: 'ENTERPRISE', ownerId: KEYS.account_manager.principal, ...extra };
}

export function touchpointInput(
  accountId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    touchpointId: uid('tp'),
    accountId,
    occurredAt: at(-DAY),
    channel: 'CALL',
    direction: 'OUTBOUND',
    pillar: 'SERVICE',
    sentiment: 'POSITIVE',
    summary: 'Quarterly check-in',
    participants: ['alice@example.com'],
    source: 'crm',
    ...extra,
  };
}

export function commitmentInput(
  accountId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    commitmentId: uid('c'),
    accountId,
    title: 'Send the renewal proposal',
    ownerId: KEYS.account_manager.principal,
    madeAt: at(-2 * DAY),
    dueAt: at(5 * DAY),
    ...extra,
  };
}

/** Opens accounts through the API and checks they were created. */
export async function openAccounts(
  harness: IngestionApp,
  ...accounts: Array<Record<string, unknown>>
): Promise<void> {
  const answer = await harness.post('/v1/accounts', { accounts });
  if (answer.status !== 200 || answer.body.results.some((r: any) => r.status !== 'created')) {
    throw new Error(`Could not open accounts: ${answer.status} ${answer.text}`);
  }
}
