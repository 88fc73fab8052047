import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

import { delay, tempDir } from '../support/helpers.js';

const MAIN = resolve('dist/apps/api/src/main.js');
const API_KEY = 'integration-key-for-process-0123456789ab';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built service with exactly the given environment (plus PATH). */
function runService(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Finished>((ok) => child.on('close', (code) => ok({ code, stdout, stderr })));
  return { exited, output: () => ({ stdout, stderr }), stop: () => child.kill('SIGTERM') };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

async function waitUntilLive(base: string, output: () => unknown, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health/live`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`The service did not start:\n${JSON.stringify(output(), null, 2)}`);
}

describe('credentials of the service process (node dist/apps/api/src/main.js)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
    dir = await tempDir('auth-process');
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('refuses to start in production without credentials, saying why', async () => {
    const result = await runService({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      DATA_DIR: dir.path,
    }).exited;
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration:',
      '  AUTH_API_KEYS: at least one credential is required when NODE_ENV is production: set AUTH_API_KEYS, ' +
        'AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY (the development key is never made in production)',
    ]);
    expect(result.stdout).not.toMatch(/dev_/);
  });

  it('refuses a bad AUTH_API_KEYS without printing the secret', async () => {
    const secret = 'short-secret-value';
    const result = await runService({ AUTH_API_KEYS: `admin:ops:${secret}`, DATA_DIR: dir.path }).exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AUTH_API_KEYS: entry 1: secret must be at least 32 characters');
    expect(result.stderr + result.stdout).not.toContain(secret);
  });

  it('prints a development key once, as a warning, and the key works', async () => {
    const port = await freePort();
    const service = runService({ PORT: String(port), DATA_DIR: `${dir.path}/dev`, LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntilLive(base, service.output);
      const lines = service
        .output()
        .stdout.split('\n')
        .filter((line) => line.includes('DEVELOPMENT KEY'));
      expect(lines).toHaveLength(1);
      const log = JSON.parse(lines[0]!) as { level: number; msg: string; developmentKey: string };
      expect(log.level).toBe(40); // pino's warn
      expect(log.msg).toContain('DEVELOPMENT KEY');
      expect(log.msg).toContain(log.developmentKey);
      const answer = await fetch(`${base}/v1/whoami`, {
        headers: { authorization: `Bearer ${log.developmentKey}` },
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ id: 'development', roles: ['admin'], kind: 'development' });
      expect((await fetch(`${base}/v1/whoami`)).status).toBe(401);
    } finally {
      service.stop();
    }
    const { stdout } = await service.exited;
    expect(stdout.split('\n').filter((line) => line.includes('DEVELOPMENT KEY'))).toHaveLength(1);
  });

  it('starts in production with an API key and never logs presented secrets', async () => {
    const port = await freePort();
    const service = runService({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: `${dir.path}/prod`,
      LOG_LEVEL: 'trace',
      AUTH_API_KEYS: `integration:crm-sync:${API_KEY}`,
    });
    const base = `http://127.0.0.1:${port}`;
    const wrong = 'wrong-key-presented-by-a-client-0123456789';
    try {
      await waitUntilLive(base, service.output);
      expect((await fetch(`${base}/v1/whoami`, { headers: { 'x-api-key': API_KEY } })).status).toBe(200);
      expect(
        (await fetch(`${base}/v1/whoami`, { headers: { authorization: `Bearer ${wrong}` } })).status,
      ).toBe(401);
    } finally {
      service.stop();
    }
    const { code, stdout, stderr } = await service.exited;
    expect(code).toBe(0);
    expect(stdout).not.toContain('DEVELOPMENT KEY');
    expect(stdout + stderr).not.toContain(API_KEY);
    expect(stdout + stderr).not.toContain(wrong);
  });
});
