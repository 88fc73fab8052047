// /health/ready and the lag of the alerts projection and the alert policy: a bound (small here,
// injected) they may not exceed, reported per projection; the policy's lag counts only where it runs.
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';

import { AlertPolicyRunner } from '#alert-policy';
import { AppConfigModule, readConfig } from '#config';
import { AccountProjector, AlertsProjector, READY_LAG_BOUND } from '#read-model';

import { AppModule } from '../../apps/api/src/app.module.js';
import { tempDir, waitFor } from '../support/helpers.js';

const KEY = 'r'.repeat(40);
const BOUND = 3;

type Readiness = { status: number; body: any };

/** The app as createApp builds it, with the readiness bound replaced. */
async function boot(roles: string) {
  const dir = await tempDir('projection-readiness');
  const config = readConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir.path,
    LOG_LEVEL: 'silent',
    ROLES: roles,
    AUTH_API_KEYS: `admin:root:${KEY}`,
  });
  const configModule = await AppConfigModule.forRoot({ config });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register({ configModule, roles: config.roles })],
  })
    .overrideProvider(READY_LAG_BOUND)
    .useValue(BOUND)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  return { app, base, close: async () => (await app.close(), await dir.remove()) };
}

async function readiness(base: string): Promise<Readiness> {
  const res = await fetch(`${base}/health/ready`);
  return { status: res.status, body: await res.json() };
}

/** The first readiness answer with `status` for which `holds` (default: any). */
async function waitForReadiness(
  base: string,
  status: number,
  what: string,
  holds: (body: any) => boolean = () => true,
): Promise<Readiness> {
  let last: Readiness | undefined;
  const found = async () => {
    last = await readiness(base);
    return last.status === status && holds(last.body);
  };
  await waitFor(found, 20_000, what).catch((error) => {
    throw new Error(`${(error as Error).message}; last answer: ${JSON.stringify(last)}`);
  });
  return last!;
}

function post(base: string, path: string, body: unknown) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function openAccounts(base: string, ids: readonly string[]): Promise<void> {
  const accounts = ids.map((id) => ({ id, name: id, tier: 'SMB', ownerId: 'am-1' }));
  expect((await post(base, '/v1/accounts', { accounts })).status).toBe(200);
}

/** A negative moment of truth on each account: the alert policy raises an alert for each. */
async function touchBadly(base: string, ids: readonly string[]): Promise<void> {
  const touchpoints = ids.map((accountId) => ({
    touchpointId: `bad-${accountId}`,
    accountId,
    occurredAt: new Date().toISOString(),
    channel: 'SUPPORT_TICKET',
    direction: 'INBOUND',
    pillar: 'SERVICE',
    sentiment: 'NEGATIVE',
    momentOfTruth: true,
    source: 'crm',
  }));
  expect((await post(base, '/v1/touchpoints', { touchpoints })).status).toBe(200);
}

describe('readiness and the alert projections, with the worker role', () => {
  let booted: Awaited<ReturnType<typeof boot>>;

  beforeAll(async () => {
    booted = await boot('api,worker');
  });
  afterAll(async () => {
    await booted?.close();
  });

  it('reports each alert projection’s checkpoint and lag against the bound', async () => {
    const ready = await waitForReadiness(booted.base, 200, 'readiness');
    expect(ready.body.details.projections).toEqual({
      status: 'up',
      bound: BOUND,
      'alerts-read-model': { checkpoint: null, lagEvents: 0, countsForReadiness: true },
      'alert-policy': expect.objectContaining({ lagEvents: 0, countsForReadiness: true }),
    });
  });

  it('is not ready while more alert events than the bound wait for the alerts projection, and ready once applied', async () => {
    const projector = booted.app.get(AlertsProjector);
    await projector.stop();
    const ids = ['ap-1', 'ap-2', 'ap-3', 'ap-4'];
    await openAccounts(booted.base, ids);
    await touchBadly(booted.base, ids);

    // The alert policy may be briefly behind too while it reacts to the touchpoints.
    const behind = await waitForReadiness(
      booted.base,
      503,
      'the alerts projection to fall behind alone',
      (body) =>
        body.error.projections?.message === `alerts-read-model: more than ${BOUND} events wait to be applied`,
    );
    expect(behind.body.error.projections).toMatchObject({
      status: 'down',
      'alerts-read-model': { lagEvents: BOUND + 1, countsForReadiness: true },
      message: expect.stringContaining(`alerts-read-model: more than ${BOUND} events wait to be applied`),
    });
    // The other checks still pass: only the projections are behind.
    expect(behind.body.info).toMatchObject({ eventstore: { status: 'up' }, readmodel: { status: 'up' } });

    await projector.start();
    const caughtUp = await waitForReadiness(booted.base, 200, 'the alerts projection to catch up');
    expect(caughtUp.body.details.projections['alerts-read-model']).toMatchObject({ lagEvents: 0 });
    expect(caughtUp.body.details.projections['alerts-read-model'].checkpoint).toMatch(/^\d+\/\d+$/);
  });

  it('is not ready while more account and alert events than the bound wait for the alert policy', async () => {
    const policy = booted.app.get(AlertPolicyRunner);
    await policy.stop();
    await openAccounts(booted.base, ['pol-1', 'pol-2', 'pol-3', 'pol-4']);

    const behind = await waitForReadiness(
      booted.base,
      503,
      'the alert policy to fall behind',
      (body) => body.error.projections?.['alert-policy']?.lagEvents === BOUND + 1,
    );
    expect(behind.body.error.projections).toMatchObject({
      'alert-policy': { lagEvents: BOUND + 1, countsForReadiness: true },
      message: expect.stringContaining(`alert-policy: more than ${BOUND} events wait to be applied`),
    });

    await policy.start();
    await waitForReadiness(booted.base, 200, 'the alert policy to catch up');
  });
});

describe('readiness and the alert policy in a process without the worker role', () => {
  let booted: Awaited<ReturnType<typeof boot>>;

  beforeAll(async () => {
    booted = await boot('api');
  });
  afterAll(async () => {
    await booted?.close();
  });

  it('reports the alert policy’s lag without counting it: the policy runs elsewhere', async () => {
    // The account projection's lag counts everywhere: it is kept current here for this test.
    await booted.app.get(AccountProjector).start();
    await openAccounts(booted.base, ['api-1', 'api-2', 'api-3', 'api-4']);

    let ready: Readiness | undefined;
    await waitFor(
      async () => {
        ready = await readiness(booted.base);
        return ready.status === 200 && ready.body.details.projections['alert-policy'].lagEvents === BOUND + 1;
      },
      20_000,
      'the account projection to apply the accounts',
    );
    expect(ready!.body.details.projections).toMatchObject({
      status: 'up',
      'alert-policy': { checkpoint: null, lagEvents: BOUND + 1, countsForReadiness: false },
      'alerts-read-model': { lagEvents: 0, countsForReadiness: true },
    });
  });
});
