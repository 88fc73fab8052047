// Every REST route and every GraphQL mutation of the contract, each with a valid payload to start
// from and the HTTP request that carries a (changed) payload.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const iso = (offsetMs: number): string => new Date(Date.now() + offsetMs).toISOString();

/** What the fuzz run opens, makes and raises before it starts (ids the valid payloads refer to). */
export interface Fixtures {
  readonly accounts: readonly string[];
  /** Commitments, each with its account. */
  readonly commitments: readonly { readonly accountId: string; readonly commitmentId: string }[];
  readonly alertId: string;
}

export type TargetKind = 'batch' | 'single' | 'graphql';

export interface Target {
  readonly name: string;
  readonly kind: TargetKind;
  /** REST batches: the envelope's array; GraphQL: the mutation field. */
  readonly field: string;
  /** A valid payload; `n` makes its ids fresh. */
  seed(n: number, fixtures: Fixtures): unknown;
  /** The path and JSON body that carry `payload`. */
  request(payload: unknown): { readonly path: string; readonly body: unknown };
}

export const OWNER = 'am-fuzz';

export function openAccountItem(id: string): Record<string, unknown> {
  return {
    id,
    name: `Fuzz ${id}`,
    tier: 'SMB',
    ownerId: OWNER,
    stage: 'PROSPECT',
    cadenceDays: 30,
    openedAt: iso(-DAY),
  };
}

export function touchpointItem(id: string, accountId: string): Record<string, unknown> {
  return {
    touchpointId: id,
    accountId,
    occurredAt: iso(-HOUR),
    channel: 'CALL',
    direction: 'OUTBOUND',
    pillar: 'SERVICE',
    sentiment: 'POSITIVE',
    momentOfTruth: false,
    summary: 'Quarterly check-in',
    actorId: OWNER,
    participants: ['buyer@example.com'],
    source: 'crm',
    externalRef: `ext-${id}`,
  };
}

export function commitmentItem(id: string, accountId: string): Record<string, unknown> {
  return {
    commitmentId: id,
    accountId,
    title: 'Send the renewal proposal',
    description: 'With the new price list',
    ownerId: OWNER,
    madeAt: iso(-HOUR),
    dueAt: iso(5 * DAY),
  };
}

const accountOf = (n: number, f: Fixtures) => f.accounts[n % f.accounts.length];
const commitmentOf = (n: number, f: Fixtures) => f.commitments[n % f.commitments.length];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A path segment from whatever a change left there, encoded so it stays one segment (a URL is
 * UTF-8: an unpaired surrogate cannot travel in it, and becomes U+FFFD as a browser would send it).
 */
const segment = (value: unknown): string =>
  encodeURIComponent(
    (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined')).replace(
      LONE_SURROGATE,
      '\uFFFD',
    ),
  );

function batch(field: string, item: (n: number, f: Fixtures) => Record<string, unknown>): Target {
  return {
    name: `POST /v1/${field}`,
    kind: 'batch',
    field,
    seed: (n, f) => ({ [field]: [item(n, f), item(n + 1_000_000, f)] }),
    request: (payload) => ({ path: `/v1/${field}`, body: payload }),
  };
}

function single(
  name: string,
  pathOf: (params: Record<string, unknown>) => string,
  seed: (n: number, f: Fixtures) => { params: Record<string, unknown>; body: Record<string, unknown> },
): Target {
  return {
    name,
    kind: 'single',
    field: name,
    seed,
    request(payload) {
      // The route's parameters are part of what is changed: they travel in the path.
      const params = isObject(payload) && isObject(payload.params) ? payload.params : {};
      const body = isObject(payload) && 'body' in payload ? payload.body : payload;
      return { path: pathOf(params), body };
    },
  };
}

const commitmentPath = (action: string) => (p: Record<string, unknown>) =>
  `/v1/accounts/${segment(p.accountId)}/commitments/${segment(p.commitmentId)}/${action}`;

export const REST_TARGETS: readonly Target[] = [
  batch('accounts', (n) => openAccountItem(`fz-a-${n}`)),
  batch('touchpoints', (n, f) => touchpointItem(`fz-t-${n}`, accountOf(n, f))),
  batch('commitments', (n, f) => commitmentItem(`fz-c-${n}`, accountOf(n, f))),
  single(
    'POST /v1/accounts/:accountId/stage',
    (p) => `/v1/accounts/${segment(p.accountId)}/stage`,
    (n, f) => ({
      params: { accountId: accountOf(n, f) },
      body: {
        to: ['DISCOVERY', 'PROPOSAL', 'ONBOARDING', 'ACTIVE'][n % 4],
        reason: 'Moving on',
        occurredAt: iso(-MINUTE),
      },
    }),
  ),
  single('POST …/commitments/:commitmentId/fulfil', commitmentPath('fulfil'), (n, f) => ({
    params: { ...commitmentOf(n, f) },
    body: { fulfilledAt: iso(-MINUTE) },
  })),
  single('POST …/commitments/:commitmentId/renegotiate', commitmentPath('renegotiate'), (n, f) => ({
    params: { ...commitmentOf(n, f) },
    body: { newDueAt: iso(10 * DAY), reason: 'The customer asked for more time' },
  })),
  single('POST …/commitments/:commitmentId/cancel', commitmentPath('cancel'), (n, f) => ({
    params: { ...commitmentOf(n, f) },
    body: { reason: 'No longer needed' },
  })),
];

function mutation(
  field: string,
  signature: string,
  call: string,
  selection: string,
  seed: Target['seed'],
): Target {
  const query = `mutation Fuzz(${signature}) { ${field}(${call}) { ${selection} } }`;
  return {
    name: `mutation ${field}`,
    kind: 'graphql',
    field,
    seed: (n, f) => ({ query, variables: seed(n, f), operationName: 'Fuzz' }),
    request: (payload) => ({ path: '/graphql', body: payload }),
  };
}

const ACCOUNT = 'id name stage cadenceDays ownerId';
const COMMITMENT = 'id accountId status dueAt renegotiations';
const ALERT = 'id status acknowledgedBy resolution';

export const GRAPHQL_TARGETS: readonly Target[] = [
  mutation('openAccount', '$input: OpenAccountInput!', 'input: $input', ACCOUNT, (n) => ({
    input: openAccountItem(`fz-ga-${n}`),
  })),
  mutation('changeStage', '$input: ChangeStageInput!', 'input: $input', ACCOUNT, (n, f) => ({
    input: {
      accountId: accountOf(n, f),
      to: ['DISCOVERY', 'PROPOSAL', 'ONBOARDING', 'ACTIVE'][n % 4],
      reason: 'Moving on',
    },
  })),
  mutation('assignOwner', '$input: AssignOwnerInput!', 'input: $input', ACCOUNT, (n, f) => ({
    input: { accountId: accountOf(n, f), ownerId: `am-${n % 3}` },
  })),
  mutation('setCadence', '$input: SetCadenceInput!', 'input: $input', ACCOUNT, (n, f) => ({
    input: { accountId: accountOf(n, f), cadenceDays: 7 + (n % 30) },
  })),
  mutation(
    'recordTouchpoint',
    '$input: TouchpointInput!',
    'input: $input',
    'id accountId channel',
    (n, f) => ({
      input: touchpointItem(`fz-gt-${n}`, accountOf(n, f)),
    }),
  ),
  mutation(
    'recordTouchpoints',
    '$inputs: [TouchpointInput!]!',
    'inputs: $inputs',
    'results { index touchpointId status error { code message field } }',
    (n, f) => ({
      inputs: [
        touchpointItem(`fz-gts-${n}`, accountOf(n, f)),
        touchpointItem(`fz-gts-${n}-b`, accountOf(n + 1, f)),
      ],
    }),
  ),
  mutation('makeCommitment', '$input: MakeCommitmentInput!', 'input: $input', COMMITMENT, (n, f) => ({
    input: commitmentItem(`fz-gc-${n}`, accountOf(n, f)),
  })),
  mutation('fulfilCommitment', '$input: FulfilCommitmentInput!', 'input: $input', COMMITMENT, (n, f) => ({
    input: { ...commitmentOf(n, f), fulfilledAt: iso(-MINUTE) },
  })),
  mutation(
    'renegotiateCommitment',
    '$input: RenegotiateCommitmentInput!',
    'input: $input',
    COMMITMENT,
    (n, f) => ({
      input: { ...commitmentOf(n, f), newDueAt: iso(12 * DAY), reason: 'Waiting for the budget' },
    }),
  ),
  mutation('cancelCommitment', '$input: CancelCommitmentInput!', 'input: $input', COMMITMENT, (n, f) => ({
    input: { ...commitmentOf(n, f), reason: 'Superseded' },
  })),
  mutation('acknowledgeAlert', '$id: ID!, $note: String', 'id: $id, note: $note', ALERT, (_n, f) => ({
    id: f.alertId,
    note: 'Calling them today',
  })),
  mutation('resolveAlert', '$id: ID!, $reason: String!', 'id: $id, reason: $reason', ALERT, (_n, f) => ({
    id: f.alertId,
    reason: 'Called, all good',
  })),
];

function query(field: string, text: string, seed: Target['seed']): Target {
  return {
    name: `query ${field}`,
    kind: 'graphql',
    field,
    seed: (n, f) => ({ query: text, variables: seed(n, f), operationName: 'Fuzz' }),
    request: (payload) => ({ path: '/graphql', body: payload }),
  };
}

/** The queries, with every argument: refusals and reads must not fail either (they write nothing). */
export const GRAPHQL_QUERIES: readonly Target[] = [
  query(
    'account',
    `query Fuzz($id: ID!, $asOf: DateTime, $first: Int, $after: String, $channels: [Channel!], $pillars: [Pillar!], $from: DateTime, $to: DateTime, $windowDays: Int) {
      account(id: $id, asOf: $asOf) { id stage pillarBalance(windowDays: $windowDays) { windowDays }
        timeline(first: $first, after: $after, channels: $channels, pillars: $pillars, from: $from, to: $to) { edges { cursor node { id type } } } } }`,
    (n, f) => ({
      id: accountOf(n, f),
      asOf: n % 2 ? iso(-MINUTE) : null,
      first: 5,
      after: null,
      channels: ['CALL'],
      pillars: ['SERVICE'],
      from: iso(-30 * DAY),
      to: iso(0),
      windowDays: 90,
    }),
  ),
  query(
    'accounts',
    `query Fuzz($filter: AccountFilter, $orderBy: AccountOrder, $first: Int, $after: String) {
      accounts(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { totalCount edges { cursor node { id } } } }`,
    () => ({
      filter: {
        ownerId: OWNER,
        stages: ['PROSPECT'],
        tiers: ['SMB'],
        healthBands: ['GREEN'],
        silent: false,
        hasOverdueCommitments: false,
        nameContains: 'Fuzz',
      },
      orderBy: 'NAME_ASC',
      first: 10,
      after: null,
    }),
  ),
  query(
    'alerts',
    `query Fuzz($filter: AlertFilter, $first: Int, $after: String) { alerts(filter: $filter, first: $first, after: $after) { totalCount edges { node { id } } } }`,
    (n, f) => ({
      filter: {
        statuses: ['OPEN'],
        kinds: ['NEGATIVE_MOMENT_OF_TRUTH'],
        minSeverity: 'LOW',
        accountId: accountOf(n, f),
        ownerId: OWNER,
        tiers: ['SMB'],
      },
      first: 10,
      after: null,
    }),
  ),
  query(
    'funnel',
    `query Fuzz($from: DateTime!, $to: DateTime!, $tiers: [Tier!]) { funnel(from: $from, to: $to, tiers: $tiers) { from to stages { stage current } } }`,
    () => ({ from: iso(-90 * DAY), to: iso(0), tiers: ['SMB'] }),
  ),
  query(
    'lostDeals',
    `query Fuzz($from: DateTime, $to: DateTime) { lostDeals(from: $from, to: $to) { accountId reason } }`,
    () => ({ from: iso(-90 * DAY), to: iso(0) }),
  ),
];

export const TARGETS: readonly Target[] = [...REST_TARGETS, ...GRAPHQL_TARGETS, ...GRAPHQL_QUERIES];
