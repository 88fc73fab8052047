// Inputs the fuzz test found answered with a server error, accepted when they should not be, or
// accepted and then stopping the projections; each is now refused clearly, with nothing written.
import { MAX_QUERY_NESTING } from '../../apps/api/src/graphql/query-document.js';
import { MAX_BODY_NESTING } from '../../apps/api/src/http/json-body.parser.js';
import {
  DAY,
  INTEGRATION,
  KEYS,
  MINUTE,
  accountInput,
  at,
  bootIngestionApp,
  commitmentInput,
  openAccounts,
  touchpointInput,
  uid,
  type IngestionApp,
} from '../ingestion/ingestion-harness.js';

const ADMIN = { authorization: `Bearer ${KEYS.admin.secret}` };

describe('malformed input', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const graphql = (query: string, variables: unknown = {}) =>
    harness.send('POST', '/graphql', { json: { query, variables }, headers: ADMIN });

  async function openAccount(): Promise<string> {
    const accountId = uid('bad');
    await openAccounts(harness, accountInput(accountId));
    return accountId;
  }

  /** Passes when a valid mutation is answered from the read model, i.e. the projections are not stuck. */
  async function expectProjectionsToKeepUp(accountId: string): Promise<void> {
    const answer = await graphql(
      'mutation($i: SetCadenceInput!) { setCadence(input: $i) { id cadenceDays } }',
      { i: { accountId, cadenceDays: 14 } },
    );
    expect(answer.body.data.setCadence.cadenceDays).toBe(14);
    expect(answer.body.extensions?.readModelLag).toBeUndefined();
  }

  it('refuses text holding NUL or an unpaired surrogate, naming the field; nothing is written and projections go on', async () => {
    const accountId = await openAccount();
    const rest = await harness.post('/v1/touchpoints', {
      touchpoints: [
        touchpointInput(accountId, { summary: 'before\u0000after' }),
        touchpointInput(accountId, { externalRef: 'ref-\uD800' }),
      ],
    });
    expect(rest.status).toBe(200);
    expect(rest.body.results.map((r: any) => [r.status, r.error.code, r.error.field])).toEqual([
      ['rejected', 'BAD_USER_INPUT', 'summary'],
      ['rejected', 'BAD_USER_INPUT', 'externalRef'],
    ]);
    expect(rest.body.results[0].error.message).toContain('must not contain NUL characters (U+0000)');

    const mutation = await graphql(
      'mutation($i: MakeCommitmentInput!) { makeCommitment(input: $i) { id } }',
      { i: { ...commitmentInput(accountId), title: 'Call\u0000back' } },
    );
    expect(mutation.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(mutation.body.errors[0].extensions.fields).toEqual([
      { path: 'i.title', message: 'must not contain NUL characters (U+0000)' },
    ]);

    // Reads too: such text failed the read model's query (an internal error).
    const read = await graphql('query($id: ID!) { account(id: $id) { id } }', { id: `${accountId}\u0000` });
    expect(read.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'id', message: 'must not contain NUL characters (U+0000)' }],
    });

    expect(await harness.events(accountId)).toHaveLength(1);
    await expectProjectionsToKeepUp(accountId);
  });

  it('refuses instants no store can keep, from REST and from GraphQL, queries included', async () => {
    const accountId = await openAccount();
    const rest = await harness.post('/v1/touchpoints', {
      touchpoints: [touchpointInput(accountId, { occurredAt: '1899-12-31T23:59:59Z' })],
    });
    expect(rest.body.results[0].error).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'occurredAt',
      message: expect.stringContaining('occurredAt: must be from 1900-01-01T00:00:00.000Z'),
    });

    const mutation = await graphql(
      'mutation($i: MakeCommitmentInput!) { makeCommitment(input: $i) { id } }',
      {
        i: { ...commitmentInput(accountId), madeAt: '-271821-04-20T00:00:00.000Z' },
      },
    );
    expect(mutation.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'i.madeAt', message: expect.stringContaining('DateTime must be an ISO-8601 date-time') },
      ],
    });
    const numeric = await graphql('mutation($i: TouchpointInput!) { recordTouchpoint(input: $i) { id } }', {
      i: { ...touchpointInput(accountId), occurredAt: Date.now() - DAY },
    });
    expect(numeric.body.errors[0].extensions.fields[0].path).toBe('i.occurredAt');

    const farFuture = await graphql(
      `{ account(id: "${accountId}", asOf: "+275760-09-13T00:00:00.000Z") { id } }`,
    );
    expect(farFuture.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const earliest = await graphql(`{ account(id: "${accountId}", asOf: "0001-01-01T00:00:00Z") { id } }`);
    expect(earliest.body.errors[0]).toMatchObject({
      message: expect.stringContaining('DateTime must be from 1900-01-01T00:00:00.000Z'),
      extensions: { code: 'BAD_USER_INPUT' },
    });

    expect(await harness.events(accountId)).toHaveLength(1);
    await expectProjectionsToKeepUp(accountId);
  });

  it('refuses a body nested deeper than the limit with 400 (the validation overflowed its stack: 500)', async () => {
    // As text: serialising it would overflow this side's stack too.
    const deep = `${'{"a":'.repeat(5_000)}{}${'}'.repeat(5_000)}`;
    const accountId = uid('deep');
    const account = JSON.stringify(accountInput(accountId)).slice(0, -1);

    const rest = await harness.send('POST', '/v1/accounts', {
      raw: `{"accounts":[${account},"extra":${deep}}]}`,
      headers: INTEGRATION,
    });
    const viaGraphQL = await harness.send('POST', '/graphql', {
      raw: `{"query":"mutation($i: OpenAccountInput!) { openAccount(input: $i) { id } }","variables":{"i":${account},"deep":${deep}}}}`,
      headers: ADMIN,
    });

    const message = `Invalid input: the body nests objects and arrays more than ${MAX_BODY_NESTING} levels deep`;
    expect(rest.status).toBe(400);
    expect(rest.body).toEqual({ statusCode: 400, code: 'BAD_USER_INPUT', message });
    expect(viaGraphQL.status).toBe(400);
    expect(viaGraphQL.body.errors).toEqual([{ message, extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(await harness.events(accountId)).toHaveLength(0);
  });

  it('refuses query text nested thousands deep before parsing it (the parser overflowed its stack)', async () => {
    const levels = 5_000;
    const answer = await graphql(`{ ${'... { '.repeat(levels)}__typename${' }'.repeat(levels)} }`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: `The query nests braces, brackets or parentheses more than ${MAX_QUERY_NESTING} levels deep`,
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
    // Brackets inside strings and comments do not count.
    const quoted = await graphql(`# ${'{'.repeat(100)}\n{ account(id: "${'['.repeat(100)}") { id } }`);
    expect(quoted.body).toEqual({ data: { account: null } });
  });

  it('takes only GraphQL text as a query (Mercurius also took JSON syntax trees, and crashed on them)', async () => {
    for (const query of ['5', '{}', '{"kind":"Document","definitions":[]}', 'null']) {
      const answer = await harness.send('POST', '/graphql', { json: { query }, headers: ADMIN });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(answer.body.errors[0].message).toMatch(/^Syntax Error: /);
    }
  });

  it('refuses null as the body of an operation whose fields are all optional (it fulfilled the commitment)', async () => {
    const accountId = await openAccount();
    const made = commitmentInput(accountId);
    await harness.post('/v1/commitments', { commitments: [made] });

    const answer = await harness.send(
      'POST',
      `/v1/accounts/${accountId}/commitments/${made.commitmentId}/fulfil`,
      {
        raw: 'null',
        headers: INTEGRATION,
      },
    );

    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual([{ path: 'body', message: 'must be a JSON object, not null' }]);
    expect(await harness.events(accountId)).toHaveLength(2);
  });

  it('names a blank member name quoted, so the refusal still says which field', async () => {
    const answer = await harness.post(`/v1/accounts/${uid('x')}/stage`, { to: 'DISCOVERY', '': 1, ' ': 2 });
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual([
      { path: '""', message: 'is not a known field' },
      { path: '" "', message: 'is not a known field' },
    ]);
  });

  it('answers refusals from outside the routes in the API error shape', async () => {
    const longUrl = await harness.send('POST', `/v1/accounts/${'x'.repeat(20_000)}/stage`, {
      json: { to: 'DISCOVERY' },
      headers: INTEGRATION,
    });
    expect(longUrl.status).toBe(431);
    expect(longUrl.body).toEqual({ statusCode: 431, code: 'HEADERS_TOO_LARGE', message: expect.any(String) });

    const xml = await harness.send('POST', '/v1/accounts', {
      raw: '<accounts/>',
      headers: { ...INTEGRATION, 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.body).toEqual({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Unsupported Media Type: send the body as application/json',
    });

    const mutationOverGet = await harness.send(
      'GET',
      `/graphql?query=${encodeURIComponent('mutation { assignOwner(input: { accountId: "a", ownerId: "b" }) { id } }')}`,
      { headers: ADMIN },
    );
    expect(mutationOverGet.status).toBe(405);
    expect(mutationOverGet.body.errors).toEqual([
      {
        message: 'Operation cannot be performed via a GET request',
        extensions: { code: 'METHOD_NOT_ALLOWED' },
      },
    ]);

    expect((await harness.send('GET', '/nowhere')).body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /nowhere',
    });
  });

  it('still answers a valid write after all of it', async () => {
    const accountId = await openAccount();
    const answer = await harness.post('/v1/touchpoints', {
      touchpoints: [touchpointInput(accountId, { occurredAt: at(-MINUTE) })],
    });
    expect(answer.body.results[0].status).toBe('created');
  });
});
