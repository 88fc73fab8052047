// Sends more than 10,000 generated malformed, oversized and type-confused inputs to every REST
// route and every GraphQL mutation of the contract, over real HTTP, and checks each answer: never
// a 5xx (nor a GraphQL INTERNAL error), every refusal says what is wrong (a code, a message, the
// field for bad input), nothing written for anything refused, and the service still healthy.
//
// The inputs are made by fast-check from valid payloads (see malformed-inputs.ts) with a fixed
// seed, so a failure reproduces; FUZZ_SEED=<n> explores others.
import { FORWARDS, START } from '@eventstore/db-client';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { Pool } from 'undici';

import { EventStoreConnection } from '#eventstore';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { MAX_QUERY_DEPTH } from '../../apps/api/src/graphql/query-depth.js';
import { untilIdle } from '../graphql/sql-statements.js';
import { tempDir, waitFor } from '../support/helpers.js';
import {
  GRAPHQL_TARGETS,
  TARGETS,
  commitmentItem,
  openAccountItem,
  touchpointItem,
  type Fixtures,
  type Target,
} from './fuzz-targets.js';
import { applyChanges, applyTextChange, describeVariant, textChange, variant } from './malformed-inputs.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const INTEGRATION_KEY = 'integration-key-fuzz-e2e-0123456789abcdef';
const ADMIN_KEY = 'admin-key-fuzz-e2e-0123456789abcdefghijkl';
const BODY_LIMIT = 256 * 1024;
/** Generated inputs per target in the mixed phase (24 targets). */
const MIXED_PER_TARGET = 340;
const CONNECTIONS = 8;
const DAY = 24 * 60 * 60 * 1000;

/** The event each accepted item of these targets writes exactly once (others may write more). */
const PRIMARY_EVENT: Readonly<Record<string, string>> = {
  'POST /v1/accounts': 'AccountOpened',
  'POST /v1/touchpoints': 'TouchpointRecorded',
  'POST /v1/commitments': 'CommitmentMade',
  'mutation recordTouchpoints': 'TouchpointRecorded',
};

interface FuzzRequest {
  /** Sent as X-Correlation-Id: the events a request writes carry it. */
  readonly id: string;
  readonly target: Target;
  readonly category: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Whether every input of its kind must be refused (the phase that compares $all counts). */
  readonly mustBeRefused: boolean;
}

interface Verdict {
  readonly status: number;
  /** Items written (created), or 1 for an accepted single operation. */
  readonly accepted: number;
  /** The exact number of primary events the answer promises, where it can say. */
  readonly primaryEvents?: number;
  readonly problems: readonly string[];
}

const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
const STACK_TRACE = /\n\s+at \S|\.(ts|js):\d+:\d+/;

/** Checks one REST answer: a refusal in the API's shape, or per-item results that say why. */
function judgeRest(request: FuzzRequest, status: number, body: any): Verdict {
  const problems: string[] = [];
  if (status >= 200 && status < 300) {
    if (request.target.kind === 'single') {
      if (!nonEmpty(body?.accountId) || !nonEmpty(body?.status) || !nonEmpty(body?.revision)) {
        problems.push('a 2xx without accountId, status and revision');
      }
      return { status, accepted: 1, problems };
    }
    if (!Array.isArray(body?.results)) return { status, accepted: 0, problems: ['a 2xx without results'] };
    let created = 0;
    body.results.forEach((result: any, index: number) => {
      if (result.index !== index) problems.push(`result ${index} has index ${result.index}`);
      if (result.status === 'created') created += 1;
      else if (result.status === 'rejected')
        problems.push(...itemRefusalProblems(result.error, `item ${index}`));
      else if (result.status !== 'duplicate') problems.push(`item ${index} has status ${result.status}`);
    });
    return { status, accepted: created, primaryEvents: created, problems };
  }
  if (status >= 400 && status < 500) problems.push(...refusalProblems(body, status));
  else problems.push(`answered ${status}`);
  return { status, accepted: 0, problems };
}

/** A REST refusal: `{ statusCode, code, message, fields? }`, every field with its path and rule. */
function refusalProblems(body: any, status: number): string[] {
  if (!isObject(body)) return ['a refusal without a JSON body'];
  const problems: string[] = [];
  if (body.statusCode !== status) problems.push(`statusCode ${body.statusCode} in a ${status}`);
  if (!nonEmpty(body.code)) problems.push('a refusal without a code');
  if (!nonEmpty(body.message)) problems.push('a refusal without a message');
  problems.push(...fieldProblems(body.fields));
  // Bad input names the field (or, for a body that is no JSON at all, says so).
  if (body.code === 'BAD_USER_INPUT' && body.fields === undefined && !/JSON|[Bb]ody/.test(body.message)) {
    problems.push(`BAD_USER_INPUT names no field: ${body.message}`);
  }
  return problems;
}

function fieldProblems(fields: unknown): string[] {
  if (fields === undefined) return [];
  if (!Array.isArray(fields) || fields.length === 0) return ['fields is not a non-empty list'];
  return fields.some((f) => !nonEmpty(f?.path) || !nonEmpty(f?.message))
    ? ['a field without path or message']
    : [];
}

function itemRefusalProblems(error: any, where: string): string[] {
  const problems: string[] = [];
  if (!nonEmpty(error?.code) || !nonEmpty(error?.message))
    problems.push(`${where} refused without code and message`);
  if (error?.code === 'BAD_USER_INPUT' && !nonEmpty(error?.field))
    problems.push(`${where} bad input names no field`);
  if (error?.code === 'INTERNAL' || error?.code === 'UNAVAILABLE')
    problems.push(`${where} failed: ${error.message}`);
  return problems;
}

/** Checks one GraphQL answer: data, or errors that each say what is wrong with the contract's codes. */
function judgeGraphQL(request: FuzzRequest, status: number, body: any): Verdict {
  const problems: string[] = [];
  if (status >= 500 || (status >= 300 && status < 400)) problems.push(`answered ${status}`);
  if (!isObject(body))
    return { status, accepted: 0, problems: [...problems, 'an answer that is not a JSON object'] };
  const errors: unknown[] = Array.isArray(body.errors) ? body.errors : [];
  if (body.errors !== undefined && (!Array.isArray(body.errors) || errors.length === 0)) {
    problems.push('errors is not a non-empty list');
  }
  for (const error of errors as any[]) {
    const code = error?.extensions?.code;
    if (!nonEmpty(error?.message)) problems.push('an error without a message');
    if (!nonEmpty(code)) problems.push(`an error without a code: ${error?.message}`);
    if (code === 'INTERNAL' || code === 'INTERNAL_SERVER_ERROR')
      problems.push(`an internal error: ${error?.message}`);
    problems.push(...fieldProblems(error?.extensions?.fields));
    if (
      code === 'BAD_USER_INPUT' &&
      error?.extensions?.fields === undefined &&
      !namesSomething(error.message)
    ) {
      problems.push(`BAD_USER_INPUT names neither field nor rule: ${error.message}`);
    }
  }
  const result = isObject(body.data) ? body.data[request.target.field] : undefined;
  // (A query may answer null, e.g. an unknown account, and a changed query may ask for other fields.)
  if (errors.length === 0 && !isObject(body.data)) problems.push('neither data nor errors');
  if (status !== 200 && errors.length === 0) problems.push(`answered ${status} without errors`);
  if (result === undefined || result === null) return { status, accepted: 0, problems };
  if (request.target.field === 'recordTouchpoints') {
    let created = 0;
    (result.results as any[]).forEach((item, index) => {
      if (item.status === 'CREATED') created += 1;
      else if (item.status === 'REJECTED') problems.push(...itemRefusalProblems(item.error, `item ${index}`));
    });
    return { status, accepted: created, primaryEvents: created, problems };
  }
  return { status, accepted: 1, problems };
}

/** GraphQL's own refusals name the variable, field, type or rule (quoted, or as a type's rule), or are a syntax error. */
const namesSomething = (message: unknown): boolean =>
  typeof message === 'string' &&
  /"[^"]*"|\$\w+|Syntax Error|JSON|[Bb]ody|query|cost|deep|\w+ cannot represent/.test(message);

describe('fuzzing every REST route and GraphQL mutation', () => {
  let app: NestFastifyApplication;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let url: string;
  let pool: Pool;
  let fixtures: Fixtures;
  let sequence = 0;
  let sent = 0;

  beforeAll(async () => {
    dir = await tempDir('fuzz-e2e');
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'silent',
        DATA_DIR: dir.path,
        AUTH_API_KEYS: `integration:crm-fuzz:${INTEGRATION_KEY},admin:ops-fuzz:${ADMIN_KEY}`,
        HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT),
        // The limiter has its own suite; here it would only turn the flood into 429s.
        RATE_LIMIT_PER_MINUTE: '0',
        // No deadline scans while events are counted.
        RISK_SCAN_INTERVAL_MS: String(DAY),
      },
    });
    url = await startApp(app, { port: 0, host: '127.0.0.1' });
    pool = new Pool(url, { connections: CONNECTIONS, keepAliveTimeout: 30_000 });
    fixtures = await makeFixtures();
  }, 120_000);

  afterAll(async () => {
    await pool?.close();
    await app?.close();
    await dir?.remove();
  });

  const keyFor = (target: Target) => (target.kind === 'graphql' ? ADMIN_KEY : INTEGRATION_KEY);

  async function send(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; text: string }> {
    const answer = await pool.request({ method, path, headers, body });
    return { status: answer.statusCode, text: await answer.body.text() };
  }

  async function sendJson(path: string, json: unknown, key: string): Promise<any> {
    const { status, text } = await send(
      'POST',
      path,
      { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      JSON.stringify(json),
    );
    if (status !== 200) throw new Error(`${path} answered ${status}: ${text}`);
    return JSON.parse(text);
  }

  /** Accounts, commitments and an open alert for the valid payloads to refer to. */
  async function makeFixtures(): Promise<Fixtures> {
    const accounts = ['fz-acc-1', 'fz-acc-2', 'fz-acc-3', 'fz-acc-4'];
    await sendJson('/v1/accounts', { accounts: accounts.map(openAccountItem) }, INTEGRATION_KEY);
    const commitments = Array.from({ length: 24 }, (_, i) => ({
      accountId: accounts[i % accounts.length],
      commitmentId: `fz-fixture-c-${i}`,
    }));
    await sendJson(
      '/v1/commitments',
      { commitments: commitments.map((c) => commitmentItem(c.commitmentId, c.accountId)) },
      INTEGRATION_KEY,
    );
    // A negative moment of truth raises an alert (the alert policy works in the background).
    const alarming = {
      ...touchpointItem('fz-fixture-t-1', accounts[1]),
      sentiment: 'NEGATIVE',
      momentOfTruth: true,
    };
    await sendJson('/v1/touchpoints', { touchpoints: [alarming] }, INTEGRATION_KEY);
    let alertId: string | undefined;
    await waitFor(
      async () => {
        const answer = await sendJson(
          '/graphql',
          { query: '{ alerts(first: 1) { edges { node { id } } } }' },
          ADMIN_KEY,
        );
        alertId = answer.data?.alerts?.edges?.[0]?.node?.id;
        return alertId !== undefined;
      },
      20_000,
      'the fixture alert',
    );
    return { accounts, commitments, alertId: alertId! };
  }

  /** The request that carries `payload` to `target`, JSON-encoded (then changed as text, maybe). */
  function requestOf(
    target: Target,
    payload: unknown,
    category: string,
    mustBeRefused: boolean,
    edit: { text?: (json: string) => string; contentType?: string; headers?: Record<string, string> } = {},
  ): FuzzRequest {
    const id = `fz-${mustBeRefused ? 'r' : 'm'}-${(sequence += 1)}`;
    const { path, body } = target.request(payload);
    const json = JSON.stringify(body) ?? '';
    return {
      id,
      target,
      category,
      method: 'POST',
      path,
      headers: {
        'content-type': edit.contentType ?? 'application/json',
        authorization: `Bearer ${keyFor(target)}`,
        'x-correlation-id': id,
        ...edit.headers,
      },
      body: edit.text ? edit.text(json) : json,
      mustBeRefused,
    };
  }

  /** Inputs made from valid payloads by changes that may or may not leave them valid. */
  function mixedInputs(): FuzzRequest[] {
    return TARGETS.flatMap((target, t) => {
      const generated = fc.sample(fc.tuple(variant, fc.option(textChange, { freq: 5 })), {
        numRuns: MIXED_PER_TARGET,
        seed: SEED + t,
      });
      return generated.map(([v, queryChange], i) => {
        let payload = applyChanges(target.seed(SEED + i, fixtures), v.changes);
        if (
          target.kind === 'graphql' &&
          queryChange &&
          isObject(payload) &&
          typeof payload.query === 'string'
        ) {
          payload = { ...payload, query: applyTextChange(payload.query, queryChange) };
        }
        const category = `${describeVariant(v)}${target.kind === 'graphql' && queryChange ? '+query' : ''}`;
        return requestOf(target, payload, category, false, {
          text: (json) => applyTextChange(json, v.textChange),
          contentType: v.contentType ?? undefined,
        });
      });
    });
  }

  /** Inputs that are refused whatever they hold: nothing may be written while they are sent. */
  function refusedInputs(): FuzzRequest[] {
    const requests: FuzzRequest[] = [];
    const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number, salt: number) =>
      fc.sample(arbitrary, { numRuns, seed: SEED * 7 + salt });
    TARGETS.forEach((target, t) => {
      const valid = () => target.seed(SEED + 5_000_000 + sequence, fixtures);
      for (const cut of sample(fc.double({ min: 0, max: 1, noNaN: true }), 40, t)) {
        // Any proper prefix of a JSON object is not JSON.
        requests.push(
          requestOf(target, valid(), 'invalid JSON (truncated)', true, {
            text: (json) => json.slice(0, Math.max(1, Math.floor(cut * (json.length - 1)))),
          }),
        );
      }
      for (const contentType of sample(fc.constantFrom(...NOT_JSON_TYPES), 30, 100 + t)) {
        requests.push(requestOf(target, valid(), `content type ${contentType}`, true, { contentType }));
      }
      for (const extra of sample(fc.integer({ min: 1, max: 64 * 1024 }), 8, 200 + t)) {
        requests.push(
          requestOf(target, valid(), 'oversized body', true, {
            text: (json) => `${json.slice(0, -1)},"padding":"${'x'.repeat(BODY_LIMIT + extra)}"}`,
          }),
        );
      }
      for (const headers of sample(fc.constantFrom(...BAD_CREDENTIALS), 10, 300 + t)) {
        requests.push(requestOf(target, valid(), 'bad credentials', true, { headers }));
      }
    });
    GRAPHQL_TARGETS.forEach((target, t) => {
      const valid = () => target.seed(SEED + 6_000_000 + sequence, fixtures) as Record<string, any>;
      const withQuery = (edit: (query: string) => string) => {
        const payload = valid();
        return { ...payload, query: edit(payload.query) };
      };
      for (const [at, bracket] of sample(
        fc.tuple(fc.nat(), fc.constantFrom('{', '}', '(', ')')),
        20,
        400 + t,
      )) {
        // The queries hold no strings or comments: one more bracket always unbalances them.
        const broken = withQuery((q) => q.slice(0, at % q.length) + bracket + q.slice(at % q.length));
        requests.push(requestOf(target, broken, 'query syntax error', true));
      }
      for (const levels of sample(fc.integer({ min: MAX_QUERY_DEPTH, max: 5_000 }), 10, 500 + t)) {
        // Inline fragments around the operation's selection: each is one more level.
        const deep = withQuery((q) => {
          const open = q.indexOf('{') + 1;
          return `${q.slice(0, open)}${' ... {'.repeat(levels)}${q.slice(open, -1)}${' }'.repeat(levels)} }`;
        });
        requests.push(requestOf(target, deep, 'query too deep', true));
      }
      for (const field of sample(
        fc.constantFrom('doesNotExist', 'password', '__proto__x', 'constructor'),
        8,
        600 + t,
      )) {
        const unknown = withQuery((q) => q.replace(/ \} \}$/, ` ${field} } }`));
        requests.push(requestOf(target, unknown, 'unknown field', true));
      }
      for (const drop of sample(fc.boolean(), 6, 700 + t)) {
        const payload = valid();
        const missing = drop ? { query: payload.query } : { ...payload, variables: {} };
        requests.push(requestOf(target, missing, 'variables missing', true));
      }
      for (let i = 0; i < 5; i++) {
        const payload = valid();
        const query = new URLSearchParams({
          query: payload.query,
          variables: JSON.stringify(payload.variables),
        });
        const request = requestOf(target, payload, 'mutation over GET', true);
        requests.push({ ...request, method: 'GET', path: `/graphql?${query}`, body: undefined });
      }
    });
    // The cost limit guards queries: a page of 200 accounts with 200 timeline entries each.
    const costly = GRAPHQL_TARGETS[0];
    for (const first of fc.sample(fc.integer({ min: 150, max: 200 }), { numRuns: 20, seed: SEED })) {
      const query = `{ accounts(first: ${first}) { edges { node { id timeline(first: ${first}) { edges { node { id type summary } } } } } } }`;
      requests.push(requestOf({ ...costly, field: 'accounts' }, { query }, 'query too costly', true));
    }
    return requests;
  }

  function judge(request: FuzzRequest, status: number, text: string): Verdict {
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return { status, accepted: 0, problems: [`a body that is not JSON: ${text.slice(0, 120)}`] };
    }
    const verdict =
      request.target.kind === 'graphql'
        ? judgeGraphQL(request, status, body)
        : judgeRest(request, status, body);
    const problems = [...verdict.problems];
    if (STACK_TRACE.test(text)) problems.push('a stack trace in the answer');
    if (request.mustBeRefused && verdict.accepted > 0) problems.push('accepted');
    return { ...verdict, problems };
  }

  async function sendAll(requests: readonly FuzzRequest[]): Promise<Map<FuzzRequest, Verdict>> {
    const verdicts = new Map<FuzzRequest, Verdict>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++];
        let verdict: Verdict;
        try {
          const { status, text } = await send(request.method, request.path, request.headers, request.body);
          verdict = judge(request, status, text);
        } catch (error) {
          verdict = { status: 0, accepted: 0, problems: [`no answer: ${(error as Error).message}`] };
        }
        verdicts.set(request, verdict);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    sent += verdicts.size;
    return verdicts;
  }

  /** Every event in $all by correlation id (and in total), read with the application's client. */
  async function eventsByCorrelation(): Promise<{ total: number; of: Map<string, Map<string, number>> }> {
    const of = new Map<string, Map<string, number>>();
    let total = 0;
    const client = app.get(EventStoreConnection).client;
    for await (const resolved of client.readAll({
      direction: FORWARDS,
      fromPosition: START,
      maxCount: 10_000_000,
    })) {
      const event = resolved.event;
      if (event === undefined) continue;
      total += 1;
      const metadata = event.metadata as { correlationId?: unknown } | undefined;
      const id =
        isObject(metadata) && typeof metadata.correlationId === 'string' ? metadata.correlationId : undefined;
      if (id === undefined) continue;
      const types = of.get(id) ?? new Map<string, number>();
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
      of.set(id, types);
    }
    return { total, of };
  }

  /** Each problem once per target and kind, with a count and one example input. */
  function report(
    verdicts: Map<FuzzRequest, Verdict>,
    extra: Map<FuzzRequest, string[]> = new Map(),
  ): string[] {
    const seen = new Map<string, { count: number; example: string }>();
    for (const [request, verdict] of verdicts) {
      for (const problem of [...verdict.problems, ...(extra.get(request) ?? [])]) {
        const key = `${request.target.name} [${request.category}] ${verdict.status}: ${problem.slice(0, 200)}`;
        const entry = seen.get(key) ?? {
          count: 0,
          example: `${request.method} ${request.path.slice(0, 120)} ${request.body?.slice(0, 300) ?? ''}`,
        };
        entry.count += 1;
        seen.set(key, entry);
      }
    }
    return [...seen].map(([key, { count, example }]) => `${count}× ${key}\n    e.g. ${example}`);
  }

  /** Problems with what was written: anything for a refused input, or other than promised. */
  function writeProblems(
    verdicts: Map<FuzzRequest, Verdict>,
    events: Map<string, Map<string, number>>,
  ): Map<FuzzRequest, string[]> {
    const problems = new Map<FuzzRequest, string[]>();
    for (const [request, verdict] of verdicts) {
      const written = events.get(request.id);
      const count = written ? [...written.values()].reduce((a, b) => a + b, 0) : 0;
      const found: string[] = [];
      if (verdict.accepted === 0 && count > 0)
        found.push(`refused, yet ${count} events were written: ${[...written!.keys()]}`);
      const primary = PRIMARY_EVENT[request.target.name];
      if (
        primary &&
        verdict.primaryEvents !== undefined &&
        (written?.get(primary) ?? 0) !== verdict.primaryEvents
      ) {
        found.push(
          `${verdict.primaryEvents} items created, ${written?.get(primary) ?? 0} ${primary} events written`,
        );
      }
      if (found.length) problems.set(request, found);
    }
    return problems;
  }

  it('refuses every input that cannot be valid, clearly, without writing anything', async () => {
    await untilIdle(app);
    const before = await eventsByCorrelation();
    const requests = refusedInputs();

    const verdicts = await sendAll(requests);
    await untilIdle(app);
    const after = await eventsByCorrelation();

    expect(report(verdicts, writeProblems(verdicts, after.of))).toEqual([]);
    expect(after.total).toBe(before.total);
    expect(requests.length).toBeGreaterThanOrEqual(2_000);
  }, 180_000);

  it('answers changed valid inputs without a server error, and writes exactly what it accepts', async () => {
    const requests = mixedInputs();

    const verdicts = await sendAll(requests);
    await untilIdle(app);
    const events = await eventsByCorrelation();

    expect(report(verdicts, writeProblems(verdicts, events.of))).toEqual([]);
    const accepted = [...verdicts.values()].filter((v) => v.accepted > 0).length;
    // Most changed inputs are refused; some stay valid and are written, and both are checked.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(requests.length / 2);
    expect(requests.length).toBeGreaterThanOrEqual(8_000);
  }, 240_000);

  it('is still up and ready afterwards, having answered more than 10,000 inputs', async () => {
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect((await send('GET', '/health/live', {})).status).toBe(200);
    await waitFor(async () => (await send('GET', '/health/ready', {})).status === 200, 30_000, 'readiness');
    const answer = await sendJson('/graphql', { query: '{ account(id: "fz-acc-1") { id } }' }, ADMIN_KEY);
    expect(answer.data.account.id).toBe('fz-acc-1');
  });
});

const NOT_JSON_TYPES = [
  'text/plain',
  'text/xml',
  'application/xml',
  'text/html',
  'application/octet-stream',
  'multipart/form-data; boundary=fuzz',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'image/png',
];

const BAD_CREDENTIALS: Record<string, string>[] = [
  { authorization: '' },
  { authorization: 'Bearer not-a-configured-key-0123456789abcdef' },
  { authorization: `Basic ${Buffer.from('crm:secret').toString('base64')}` },
  { authorization: `Bearer ${INTEGRATION_KEY}x` },
  { authorization: 'Bearer a.b.c' },
  { authorization: 'Bearer' },
  { authorization: `Bearer ${'k'.repeat(4000)}` },
];
