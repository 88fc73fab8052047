import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far; undefined where /proc is missing. */
export function processCpu(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the processes have (nearly) stopped using CPU, so that work left over from one
 * phase (requests a load generator abandoned at its deadline) does not run into the next.
 */
export async function waitQuiet(pids: ReadonlyArray<number | undefined>, timeoutMs = 30_000): Promise<void> {
  const total = () => pids.reduce<number>((sum, pid) => sum + (processCpu(pid) ?? 0), 0);
  const deadline = Date.now() + timeoutMs;
  let before = total();
  let quietPolls = 0;
  while (Date.now() < deadline && quietPolls < 2) {
    await sleep(250);
    const now = total();
    // Under 10% of one core over the poll counts as quiet (timers, health of the gRPC channel).
    quietPolls = now - before < 0.025 ? quietPolls + 1 : 0;
    before = now;
  }
}

/**
 * Polls `url`/health/live until the child answers; kills it and throws after `timeoutMs`, or
 * throws at once when it exits first. `what` names it in the errors.
 */
export async function waitUntilLive(
  child: { readonly exitCode: number | null; kill(signal: NodeJS.Signals): unknown },
  url: string,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} while starting`);
    try {
      if ((await fetch(`${url}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${what} did not become live within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
