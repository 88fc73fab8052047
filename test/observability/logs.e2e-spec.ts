// The built service's log output (node dist/apps/api/src/main.js): request lines carry the
// request and correlation ids the response headers show, and no credential or secret is written.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

import { delay, tempDir } from '../support/helpers.js';

const MAIN = resolve('dist/apps/api/src/main.js');

const API_KEY = 'k'.repeat(12) + '-api-key-never-logged-0123';
const WRONG_KEY = 'w'.repeat(12) + '-wrong-key-never-logged-0123';
const WEBHOOK_SECRET = 'webhook-secret-never-logged-0123';
const WEBHOOK_PASSWORD = 'webhook-password-never-logged';
const WEBHOOK_TOKEN = 'webhook-query-token-never-logged';
const METRICS_TOKEN = 'metrics-token-never-logged-0123';
const DATABASE_PASSWORD = 'database-password-never-logged';

interface Service {
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  output(): string;
  stop(): void;
}

function runService(env: Record<string, string>): Service {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on('close', (code) => done({ code, stdout, stderr })),
  );
  return { exited, output: () => stdout + stderr, stop: () => child.kill('SIGTERM') };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

async function waitUntilReady(url: string, service: Service, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`The service did not become ready:\n${service.output()}`);
}

type LogLine = { msg?: string; requestId?: string; correlationId?: string; [key: string]: any };
const logLines = (stdout: string): LogLine[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

describe('the service’s logs', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
    dir = await tempDir('logs');
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it('tie each request’s lines to its ids and never show credentials or secrets', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const service = runService({
      PORT: String(port),
      DATA_DIR: `${dir.path}/run`,
      LOG_LEVEL: 'debug',
      AUTH_API_KEYS: `admin:ops:${API_KEY}`,
      // Nothing listens there: delivery fails and is logged, with the URL masked.
      ALERT_WEBHOOK_URLS: `http://hooks:${WEBHOOK_PASSWORD}@127.0.0.1:9/alerts?token=${WEBHOOK_TOKEN}`,
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      METRICS_TOKEN,
    });
    try {
      await waitUntilReady(`${base}/health/ready`, service);
      const json = { 'content-type': 'application/json' };
      const rest = await fetch(`${base}/v1/accounts`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${API_KEY}`, 'x-correlation-id': 'order-sync-42' },
        body: JSON.stringify({ accounts: [{ id: 'log-1', name: 'Log', tier: 'SMB', ownerId: 'am-1' }] }),
      });
      expect(rest.status).toBe(200);
      const graphql = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { ...json, 'x-api-key': API_KEY },
        body: JSON.stringify({ query: '{ accounts(first: 1) { totalCount } }' }),
      });
      expect(graphql.status).toBe(200);
      const refused = await fetch(`${base}/v1/accounts`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${WRONG_KEY}` },
        body: '{"accounts":[]}',
      });
      expect(refused.status).toBe(401);
      const negative = {
        touchpointId: 'log-tp-1',
        accountId: 'log-1',
        occurredAt: new Date().toISOString(),
        channel: 'SUPPORT_TICKET',
        direction: 'INBOUND',
        pillar: 'SERVICE',
        sentiment: 'NEGATIVE',
        momentOfTruth: true,
        source: 'crm',
      };
      await fetch(`${base}/v1/touchpoints`, {
        method: 'POST',
        headers: { ...json, 'x-api-key': API_KEY },
        body: JSON.stringify({ touchpoints: [negative] }),
      });
      expect(
        (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status,
      ).toBe(200);
      // The alert's notification goes to the unreachable webhook: wait for the failure to be logged.
      const deadline = Date.now() + 20_000;
      while (!service.output().includes('Alert webhook delivery failed') && Date.now() < deadline)
        await delay(100);

      service.stop();
      const { code, stdout, stderr } = await service.exited;
      expect(code).toBe(0);
      const everything = stdout + stderr;
      expect(everything).toContain('Alert webhook delivery failed');
      for (const secret of [
        API_KEY,
        WRONG_KEY,
        WEBHOOK_SECRET,
        WEBHOOK_PASSWORD,
        WEBHOOK_TOKEN,
        METRICS_TOKEN,
      ]) {
        expect(everything).not.toContain(secret);
      }

      const lines = logLines(stdout);
      const completed = (res: Response) =>
        lines.find((l) => l.msg === 'request completed' && l.req?.id === res.headers.get('x-request-id'));
      const restLine = completed(rest);
      expect(restLine).toMatchObject({
        requestId: rest.headers.get('x-request-id'),
        correlationId: 'order-sync-42',
        req: { method: 'POST', url: '/v1/accounts', headers: { authorization: '[Redacted]' } },
        res: { statusCode: 200 },
      });
      expect(rest.headers.get('x-correlation-id')).toBe('order-sync-42');
      // Without X-Correlation-Id the request id stands for it.
      const graphqlId = graphql.headers.get('x-request-id');
      expect(completed(graphql)).toMatchObject({
        requestId: graphqlId,
        correlationId: graphqlId,
        req: { url: '/graphql', headers: { 'x-api-key': '[Redacted]' } },
      });
      expect(graphql.headers.get('x-correlation-id')).toBe(graphqlId);
      expect(completed(refused)).toMatchObject({ res: { statusCode: 401 } });
      // Every line written during a request carries both ids.
      const duringRequests = lines.filter((l) => l.req !== undefined);
      expect(duringRequests.length).toBeGreaterThanOrEqual(3);
      for (const line of duringRequests) {
        expect(line.requestId).toEqual(expect.any(String));
        expect(line.correlationId).toEqual(expect.any(String));
      }
      // Scrapes are not logged per request.
      expect(lines.some((l) => l.req?.url === '/metrics')).toBe(false);
    } finally {
      service.stop();
      await service.exited;
    }
  });

  it('do not show the database password of a start that cannot reach the database', async () => {
    const result = await runService({
      PORT: String(await freePort()),
      DATA_DIR: `${dir.path}/nodb`,
      LOG_LEVEL: 'debug',
      // Nothing listens on port 1.
      DATABASE_URL: `postgres://lifecycle:${DATABASE_PASSWORD}@127.0.0.1:1/lifecycle`,
    }).exited;
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('127.0.0.1:1');
    expect(result.stdout + result.stderr).not.toContain(DATABASE_PASSWORD);
  });
});
