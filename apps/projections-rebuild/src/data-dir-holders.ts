import { readFile, readdir, readlink } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

export interface Holder {
  readonly pid: number;
  readonly command: string;
}

/**
 * The other processes with a file open under `dir`, found through Linux's /proc (empty where
 * there is none, or for processes of other users). PGlite and the embedded event store keep
 * their files open while they run, so this finds a service using the same data directory
 * whether or not it left a lock behind.
 */
export async function processesHolding(dir: string): Promise<Holder[]> {
  const root = resolve(dir);
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const holders: Holder[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (target === root || target.startsWith(root + sep)) {
        holders.push({ pid, command: await commandOf(pid) });
        break;
      }
    }
  }
  return holders;
}

async function commandOf(pid: number): Promise<string> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return raw.split('\0').filter(Boolean).join(' ') || '?';
}
