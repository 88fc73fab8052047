// One correlation id from the request to the events it writes: the caller's X-Correlation-Id (when
// sane) or the request id, echoed in the response and stored in the metadata of every event its
// commands append, through REST and through GraphQL mutations alike.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { EventStore, type RecordedDomainEvent } from '#eventstore';
import { accountStreamName } from '#lifecycle';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { tempDir } from '../support/helpers.js';

const KEY = 'c'.repeat(40);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('correlation ids in responses and event metadata', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    dir = await tempDir('correlation');
    app = await createApp({
      env: { NODE_ENV: 'test', DATA_DIR: dir.path, LOG_LEVEL: 'silent', AUTH_API_KEYS: `admin:root:${KEY}` },
    });
    base = await startApp(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  const headers = (correlationId?: string) => ({
    'x-api-key': KEY,
    'content-type': 'application/json',
    ...(correlationId === undefined ? {} : { 'x-correlation-id': correlationId }),
  });
  const openOverRest = (id: string, correlationId?: string) =>
    fetch(`${base}/v1/accounts`, {
      method: 'POST',
      headers: headers(correlationId),
      body: JSON.stringify({ accounts: [{ id, name: id, tier: 'SMB', ownerId: 'am-1' }] }),
    });
  const openOverGraphQL = (id: string, correlationId?: string) =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      headers: headers(correlationId),
      body: JSON.stringify({
        query: 'mutation ($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
        variables: { input: { id, name: id, tier: 'SMB', ownerId: 'am-1' } },
      }),
    });
  const eventsOf = async (accountId: string) => {
    const events: RecordedDomainEvent[] = [];
    for await (const event of app.get(EventStore).readStream(accountStreamName(accountId)))
      events.push(event);
    return events;
  };

  it.each([
    ['REST', openOverRest],
    ['a GraphQL mutation', openOverGraphQL],
  ])(
    '%s: the caller’s X-Correlation-Id is echoed and stored, with the request as the cause',
    async (how, open) => {
      const accountId = `corr-${how.length}`;
      const res = await open(accountId, 'crm-sync:run-42');
      expect(res.status).toBe(200);
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toMatch(UUID);
      expect(res.headers.get('x-correlation-id')).toBe('crm-sync:run-42');
      const [opened] = await eventsOf(accountId);
      expect(opened.type).toBe('AccountOpened');
      expect(opened.metadata).toMatchObject({
        correlationId: 'crm-sync:run-42',
        causationId: requestId,
        principal: 'root',
      });
    },
  );

  it.each([
    ['REST', openOverRest, undefined],
    ['a GraphQL mutation', openOverGraphQL, undefined],
    ['REST, with an unusable X-Correlation-Id', openOverRest, 'not a valid id; drop table'],
    ['a GraphQL mutation, with an over-long X-Correlation-Id', openOverGraphQL, 'x'.repeat(129)],
  ])('%s: without a usable correlation id, the request id stands for it', async (how, open, given) => {
    const accountId = `uncorrelated-${how.replace(/\W+/g, '-')}`;
    const res = await open(accountId, given);
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(UUID);
    expect(res.headers.get('x-correlation-id')).toBe(requestId);
    const [opened] = await eventsOf(accountId);
    expect(opened.metadata).toMatchObject({ correlationId: requestId, causationId: requestId });
  });

  it('gives every request an id of its own, even a refused one', async () => {
    const ids = new Set<string | null>();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/v1/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"accounts":[]}',
      });
      expect(res.status).toBe(401);
      ids.add(res.headers.get('x-request-id'));
    }
    expect(ids.size).toBe(3);
    for (const id of ids) expect(id).toMatch(UUID);
  });
});
