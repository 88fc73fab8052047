import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

import { delay, tempDir } from '../support/helpers.js';

const MAIN = resolve('dist/apps/api/src/main.js');

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Running {
  readonly exited: Promise<Finished>;
  output(): { stdout: string; stderr: string };
  kill(signal: NodeJS.Signals): void;
}

/** Runs the built service with exactly the given environment (plus PATH). */
function runService(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Finished>((resolveExit) =>
    child.on('close', (code, signal) => resolveExit({ code, signal, stdout, stderr })),
  );
  return { exited, output: () => ({ stdout, stderr }), kill: (signal) => child.kill(signal) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** Boot takes seconds alone, and several times that while other suites load both cores. */
async function waitUntilReady(url: string, service: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`The service did not become ready:\n${JSON.stringify(service.output(), null, 2)}`);
}

const logLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown });

describe('the service process (node dist/apps/api/src/main.js)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
    dir = await tempDir('api-process');
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('refuses bad configuration with one message per bad variable and a non-zero exit', async () => {
    const result = await runService({
      PORT: 'abc',
      HOST: 'not a host',
      LOG_LEVEL: 'loud',
      EVENTSTORE_CONNECTION_STRING: 'http://127.0.0.1:2113',
      DATA_DIR: dir.path,
    }).exited;

    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration:',
      '  PORT: must be an integer from 1 to 65535 (got "abc")',
      '  HOST: must be an IP address or a host name (got "not a host")',
      '  EVENTSTORE_CONNECTION_STRING: must start with esdb:// or esdb+discover:// (got "http://127.0.0.1:2113")',
      '  LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
    expect(result.stdout).toBe('');
  });

  it('names a single bad variable alone', async () => {
    const result = await runService({ PORT: '70000', DATA_DIR: dir.path }).exited;
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration:',
      '  PORT: must be an integer from 1 to 65535 (got "70000")',
    ]);
  });

  it('starts with the embedded store, logs where it listens, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const service = runService({ PORT: String(port), DATA_DIR: `${dir.path}/run`, LOG_LEVEL: 'info' });
    await waitUntilReady(`http://127.0.0.1:${port}/health/ready`, service);

    service.kill('SIGTERM');
    const result = await service.exited;

    expect(result).toMatchObject({ code: 0, signal: null });
    const logs = logLines(result.stdout);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: `Listening on http://127.0.0.1:${port}`, port, host: '127.0.0.1' }),
    );
    expect(logs).toContainEqual(
      expect.objectContaining({ eventStore: 'embedded', dataDir: `${dir.path}/run/eventstore` }),
    );
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'Stopped the embedded event store' }));
    expect(existsSync(`${dir.path}/run/eventstore`)).toBe(true);
  }, 120_000);

  it('still stops promptly after readiness probes have read a store that holds events', async () => {
    // Regression: a probe that left a read half way made the client's dispose() wait forever.
    const port = await freePort();
    const secret = 'i'.repeat(40);
    const service = runService({
      PORT: String(port),
      DATA_DIR: `${dir.path}/probed`,
      LOG_LEVEL: 'info',
      AUTH_API_KEYS: `integration:crm:${secret}`,
    });
    const base = `http://127.0.0.1:${port}`;
    await waitUntilReady(`${base}/health/ready`, service);
    const opened = await fetch(`${base}/v1/accounts`, {
      method: 'POST',
      headers: { 'x-api-key': secret, 'content-type': 'application/json' },
      body: JSON.stringify({ accounts: [{ id: 'probe-1', name: 'Probe', tier: 'SMB', ownerId: 'am-1' }] }),
    });
    expect(opened.status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await fetch(`${base}/health/ready`)).status).toBe(200);

    const stopping = Date.now();
    service.kill('SIGTERM');
    const result = await service.exited;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(logLines(result.stdout)).toContainEqual(
      expect.objectContaining({ msg: 'Stopped the embedded event store' }),
    );
  }, 120_000);

  it('stops promptly when a client left before its large request was answered', async () => {
    // Regression: the connection of an answer that could not be written stayed open, neither idle
    // nor answered, and held the server's close for about 70 s (the keep-alive timeout), past the
    // stop timeout of most orchestrators.
    const port = await freePort();
    const secret = 'j'.repeat(40);
    const service = runService({
      PORT: String(port),
      DATA_DIR: `${dir.path}/abandoned`,
      LOG_LEVEL: 'info',
      AUTH_API_KEYS: `integration:crm:${secret}`,
    });
    const base = `http://127.0.0.1:${port}`;
    await waitUntilReady(`${base}/health/ready`, service);
    const headers = { 'x-api-key': secret, 'content-type': 'application/json' };
    const accounts = Array.from({ length: 20 }, (_, i) => ({
      id: `left-${i}`,
      name: `L ${i}`,
      tier: 'SMB',
      ownerId: 'am-1',
    }));
    expect(
      (await fetch(`${base}/v1/accounts`, { method: 'POST', headers, body: JSON.stringify({ accounts }) }))
        .status,
    ).toBe(200);
    const touchpoints = Array.from({ length: 1000 }, (_, i) => ({
      touchpointId: `left-t-${i}`,
      accountId: `left-${i % 20}`,
      occurredAt: new Date(Date.now() - 60_000 * (i + 1)).toISOString(),
      channel: 'EMAIL',
      direction: 'OUTBOUND',
      pillar: 'ENGAGEMENT',
      summary: `Note ${i}`,
      source: 'crm',
    }));
    const leaving = new AbortController();
    const request = fetch(`${base}/v1/touchpoints`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ touchpoints }),
      signal: leaving.signal,
    }).then(
      () => 'answered',
      () => 'left',
    );
    // The batch takes longer than this to record: the client leaves while it is being handled.
    await delay(40);
    leaving.abort();
    expect(await request).toBe('left');
    await delay(10);

    const stopping = Date.now();
    service.kill('SIGTERM');
    const result = await service.exited;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(30_000);
    const logs = logLines(result.stdout);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'Stopped the embedded event store' }));
    // Nothing failed on the way out (a handler meeting closed stores would log at error level).
    expect(logs.filter((line) => line.level >= 50)).toEqual([]);
  }, 150_000);

  it('exits 0 on SIGINT as well', async () => {
    const port = await freePort();
    const service = runService({ PORT: String(port), DATA_DIR: `${dir.path}/int`, LOG_LEVEL: 'warn' });
    await waitUntilReady(`http://127.0.0.1:${port}/health/live`, service);
    service.kill('SIGINT');
    expect(await service.exited).toMatchObject({ code: 0, signal: null });
  }, 120_000);
});
