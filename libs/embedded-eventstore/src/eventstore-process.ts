import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The built entry point, whether this module runs from dist/ or from sources (under Jest).
const here = fileURLToPath(import.meta.url);
const root = here.includes('/dist/')
  ? here.slice(0, here.lastIndexOf('/dist/'))
  : here.slice(0, here.lastIndexOf('/libs/'));
const ENTRY = join(root, 'dist/apps/eventstore/src/main.js');

/** A free loopback port, so a restarted server can come back on the same address. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** The embedded event store as a separate process (built entry in dist/), killable like a real server. */
export class EventStoreProcess {
  stderr = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly connectionString: string,
    exited: Promise<number | null>,
  ) {
    this.exited = exited;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  static async start(dataDir: string, port: number, nodeOptions: string[] = []): Promise<EventStoreProcess> {
    const child = spawn(
      process.execPath,
      [...nodeOptions, ENTRY, '--port', String(port), '--data', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    const connectionString = await new Promise<string>((ok, fail) => {
      let out = '';
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('esdb://'));
        if (line) {
          child.stdout!.off('data', onData);
          ok(line.trim());
        }
      };
      child.stdout!.on('data', onData);
      exited.then((code) =>
        fail(new Error(`event store exited with ${code} before it was ready:\n${stderr}`)),
      );
    });
    const proc = new EventStoreProcess(child, connectionString, exited);
    proc.stderr = stderr;
    return proc;
  }

  /** Runs the built entry to completion (for starts that are expected to fail). */
  static run(
    dataDir: string,
    port: number,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [ENTRY, '--port', String(port), '--data', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('esdb://')) child.kill('SIGTERM');
    });
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((ok) => child.once('exit', (code) => ok({ code, stdout, stderr })));
  }

  kill(): Promise<number | null> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}
