import {
  KEYS,
  accountInput,
  at,
  bootIngestionApp,
  commitmentInput,
  DAY,
  jwtHeaders,
  keyHeaders,
  touchpointInput,
  uid,
  type IngestionApp,
} from './ingestion-harness.js';

/** Who calls: what the service should take them for. */
interface Caller {
  readonly name: string;
  /** Whether the caller may ingest (integration or admin among its roles). */
  readonly ingests: boolean;
  /** The principal id whoami reports; undefined when not authenticated. */
  readonly principal?: string;
  /** 401 without credentials, 403 for a valid token without any known role. */
  readonly refused?: 401 | 403;
  headers(): Promise<Record<string, string>>;
}

const CALLERS: Caller[] = [
  { name: 'no credentials', ingests: false, refused: 401, headers: async () => ({}) },
  ...(['integration', 'account_manager', 'leader', 'admin'] as const).map((role): Caller => ({
    name: `${role} key`,
    ingests: role === 'integration' || role === 'admin',
    principal: KEYS[role].principal,
    headers: async () => keyHeaders(role),
  })),
  ...(['integration', 'account_manager', 'leader', 'admin'] as const).map((role): Caller => ({
    name: `${role} JWT`,
    ingests: role === 'integration' || role === 'admin',
    principal: `jwt-${role}`,
    headers: () => jwtHeaders(`jwt-${role}`, [role]),
  })),
  {
    name: 'JWT with account_manager and integration',
    ingests: true,
    principal: 'jwt-both',
    headers: () => jwtHeaders('jwt-both', ['account_manager', 'integration']),
  },
  {
    name: 'JWT without a known role',
    ingests: false,
    refused: 403,
    headers: () => jwtHeaders('jwt-none', ['superuser']),
  },
];

type Access = 'ingest' | 'authenticated' | 'public';

interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: () => string;
  readonly body?: () => unknown;
  readonly access: Access;
  /** The status a permitted caller gets (the bodies name accounts that do not exist where that is enough). */
  readonly allowed: number;
}

const missing = () => uid('nobody');
const ROUTES: Array<[string, Route]> = [
  [
    'POST /v1/accounts',
    {
      method: 'POST',
      path: () => '/v1/accounts',
      body: () => ({ accounts: [accountInput(uid('matrix'))] }),
      access: 'ingest',
      allowed: 200,
    },
  ],
  [
    'POST /v1/touchpoints',
    {
      method: 'POST',
      path: () => '/v1/touchpoints',
      body: () => ({ touchpoints: [touchpointInput(missing())] }),
      access: 'ingest',
      allowed: 200,
    },
  ],
  [
    'POST /v1/commitments',
    {
      method: 'POST',
      path: () => '/v1/commitments',
      body: () => ({ commitments: [commitmentInput(missing())] }),
      access: 'ingest',
      allowed: 200,
    },
  ],
  [
    'POST /v1/accounts/:id/stage',
    {
      method: 'POST',
      path: () => `/v1/accounts/${missing()}/stage`,
      body: () => ({ to: 'DISCOVERY' }),
      access: 'ingest',
      allowed: 404,
    },
  ],
  [
    'POST /v1/accounts/:id/commitments/:cid/fulfil',
    {
      method: 'POST',
      path: () => `/v1/accounts/${missing()}/commitments/c-1/fulfil`,
      body: () => ({}),
      access: 'ingest',
      allowed: 404,
    },
  ],
  [
    'POST /v1/accounts/:id/commitments/:cid/renegotiate',
    {
      method: 'POST',
      path: () => `/v1/accounts/${missing()}/commitments/c-1/renegotiate`,
      body: () => ({ newDueAt: at(DAY), reason: 'Customer asked' }),
      access: 'ingest',
      allowed: 404,
    },
  ],
  [
    'POST /v1/accounts/:id/commitments/:cid/cancel',
    {
      method: 'POST',
      path: () => `/v1/accounts/${missing()}/commitments/c-1/cancel`,
      body: () => ({ reason: 'No longer needed' }),
      access: 'ingest',
      allowed: 404,
    },
  ],
  ['GET /v1/whoami', { method: 'GET', path: () => '/v1/whoami', access: 'authenticated', allowed: 200 }],
  ['GET /health/live', { method: 'GET', path: () => '/health/live', access: 'public', allowed: 200 }],
  ['GET /health/ready', { method: 'GET', path: () => '/health/ready', access: 'public', allowed: 200 }],
  ['GET /docs/json', { method: 'GET', path: () => '/docs/json', access: 'public', allowed: 200 }],
  ['GET /docs', { method: 'GET', path: () => '/docs', access: 'public', allowed: 200 }],
];

function expectedStatus(route: Route, caller: Caller): number {
  if (route.access === 'public') return route.allowed;
  if (caller.refused) return caller.refused;
  if (route.access === 'authenticated') return route.allowed;
  return caller.ingests ? route.allowed : 403;
}

const CASES = ROUTES.flatMap(([routeName, route]) =>
  CALLERS.map((caller) => [routeName, caller.name, route, caller, expectedStatus(route, caller)] as const),
);

describe('who may call what', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it.each(CASES)('%s as %s', async (_route, _caller, route, caller, expected) => {
    const body = route.body?.();
    const answer = await harness.send(route.method, route.path(), {
      headers: await caller.headers(),
      ...(body === undefined ? {} : { json: body }),
    });

    expect(answer.status).toBe(expected);
    if (expected === 401) expect(answer.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    if (expected === 403) expect(answer.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    if (route.access === 'ingest' && expected === 404) {
      expect(answer.body).toMatchObject({ statusCode: 404, code: 'ACCOUNT_NOT_FOUND' });
    }
    if (route.path() === '/v1/whoami' && expected === 200) {
      expect(answer.body).toMatchObject({ id: caller.principal });
    }

    // What was refused wrote nothing; what was let through wrote what it was asked to.
    if (route.path() === '/v1/accounts') {
      const id = (body as { accounts: Array<{ id: string }> }).accounts[0].id;
      const events = await harness.events(id);
      if (expected === 200) {
        expect(answer.body.results).toEqual([{ index: 0, id, status: 'created' }]);
        expect(events).toHaveLength(1);
        expect(events[0].metadata.principal).toBe(caller.principal);
      } else {
        expect(events).toEqual([]);
      }
    }
    if (route.path() === '/v1/touchpoints' && expected === 200) {
      expect(answer.body.results[0]).toMatchObject({
        status: 'rejected',
        error: { code: 'ACCOUNT_NOT_FOUND' },
      });
    }
  });

  it('an account manager may not ingest even for an account they own', async () => {
    const accountId = uid('owned');
    expect((await harness.post('/v1/accounts', { accounts: [accountInput(accountId)] })).status).toBe(200);
    for (const headers of [
      keyHeaders('account_manager'),
      await jwtHeaders(KEYS.account_manager.principal, ['account_manager']),
    ]) {
      const answers = await Promise.all([
        harness.post('/v1/touchpoints', { touchpoints: [touchpointInput(accountId)] }, headers),
        harness.post('/v1/commitments', { commitments: [commitmentInput(accountId)] }, headers),
        harness.post(`/v1/accounts/${accountId}/stage`, { to: 'DISCOVERY' }, headers),
      ]);
      expect(answers.map((a) => a.status)).toEqual([403, 403, 403]);
    }
    expect(await harness.events(accountId)).toHaveLength(1);
  });
});

describe('the OpenAPI description', () => {
  let harness: IngestionApp;

  beforeAll(async () => {
    harness = await bootIngestionApp();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('GET /docs/json is an OpenAPI document listing the ingestion routes', async () => {
    const answer = await harness.send('GET', '/docs/json');

    expect(answer.status).toBe(200);
    const doc = answer.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const posts = [
      '/v1/accounts',
      '/v1/touchpoints',
      '/v1/commitments',
      '/v1/accounts/{accountId}/stage',
      '/v1/accounts/{accountId}/commitments/{commitmentId}/fulfil',
      '/v1/accounts/{accountId}/commitments/{commitmentId}/renegotiate',
      '/v1/accounts/{accountId}/commitments/{commitmentId}/cancel',
    ];
    for (const path of posts) {
      expect(doc.paths[path]?.post).toMatchObject({
        responses: { '200': expect.anything() },
        requestBody: expect.anything(),
      });
    }
    expect(doc.paths['/v1/whoami']?.get).toBeDefined();
    expect(Object.keys(doc.components.securitySchemes)).toEqual(
      expect.arrayContaining(['bearer', 'api-key']),
    );
  });

  it('describes the batch items with their enums and limits', async () => {
    const { schemas } = (await harness.send('GET', '/docs/json')).body.components;
    const batch = schemas.TouchpointBatchDto;
    expect(batch.required).toContain('touchpoints');
    expect(batch.properties.touchpoints).toMatchObject({ type: 'array', minItems: 1, maxItems: 1000 });
    const touchpoint = schemas.TouchpointInputDto.properties;
    expect(touchpoint.channel.enum).toEqual(
      expect.arrayContaining(['EMAIL', 'CALL', 'SUPPORT_TICKET', 'PRODUCT_USAGE', 'INTERNAL_NOTE']),
    );
    expect(touchpoint.participants.maxItems).toBe(50);
    expect(touchpoint.summary.maxLength).toBe(2000);
    expect(schemas.TouchpointInputDto.required).toEqual(
      expect.arrayContaining(['accountId', 'occurredAt', 'channel', 'direction', 'pillar', 'source']),
    );
    expect(schemas.OpenAccountInputDto.properties.tier.enum).toEqual([
      'STRATEGIC',
      'ENTERPRISE',
      'MIDMARKET',
      'SMB',
    ]);
    expect(schemas.OpenAccountInputDto.properties.cadenceDays).toMatchObject({ minimum: 1, maximum: 365 });
    expect(schemas.MakeCommitmentInputDto.properties.title).toMatchObject({ minLength: 1, maxLength: 200 });
    expect(schemas.ItemResultDto.properties.status.enum).toEqual(['created', 'duplicate', 'rejected']);
  });
});
