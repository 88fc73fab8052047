import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { ReadModelDataDirLockedError, type DataDirLockHolder } from './data-dir-locked.error.js';

/** The lock file's name inside the PGlite data directory. */
export const DATA_DIR_LOCK_FILE = 'pglite.lock';

/** Lock files held by this process: a lock naming this pid is live only if it is one of these. */
const heldHere = new Set<string>();

const ATTEMPTS = 5;
/** How long an unreadable lock file gets to be filled in before it counts as left by a crash. */
const UNREADABLE_GRACE_MS = 100;

/**
 * Keeps a second process (or a second `ReadModelDatabase` here) from opening a PGlite data
 * directory that is open: a file in it holding the holder's pid, created exclusively. A lock
 * whose process is gone (killed, crashed) is stale and taken over; one held by a process on
 * another host (a shared volume) cannot be checked and counts as live.
 */
export class DataDirLock {
  private releasing: Promise<void> | undefined;

  private constructor(
    readonly file: string,
    private readonly content: string,
  ) {}

  /** Takes the lock of `dataDir`; throws {@link ReadModelDataDirLockedError} while another holds it. */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const file = resolve(dataDir, DATA_DIR_LOCK_FILE);
    const mine: DataDirLockHolder = {
      pid: process.pid,
      hostname: hostname(),
      since: new Date().toISOString(),
    };
    const content = `${JSON.stringify(mine)}\n`;
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      if (await createExclusively(file, content)) {
        heldHere.add(file);
        return new DataDirLock(file, content);
      }
      const found = await readIfExists(file);
      if (found === undefined) continue; // released in between
      const holder = parseHolder(found);
      if (holder === undefined) {
        // Created but not written yet, or left half-written: only the second is stale.
        await delay(UNREADABLE_GRACE_MS);
        if ((await readIfExists(file)) !== found) continue;
      } else if (isLive(holder, file)) {
        const here = holder.pid === process.pid && holder.hostname === mine.hostname;
        throw new ReadModelDataDirLockedError(resolve(dataDir), holder, file, here);
      }
      await removeIfUnchanged(file, found);
    }
    throw new Error(`Could not lock ${resolve(dataDir)}: ${file} kept changing while this process tried`);
  }

  /** Deletes the lock file, if it is still this one's. Idempotent. */
  release(): Promise<void> {
    this.releasing ??= (async () => {
      heldHere.delete(this.file);
      if ((await readIfExists(this.file)) === this.content) await unlink(this.file).catch(ignoreMissing);
    })();
    return this.releasing;
  }
}

async function createExclusively(file: string, content: string): Promise<boolean> {
  try {
    await writeFile(file, content, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(content: string): DataDirLockHolder | undefined {
  try {
    const parsed = JSON.parse(content) as Partial<DataDirLockHolder>;
    if (!Number.isSafeInteger(parsed.pid) || (parsed.pid as number) <= 0) return undefined;
    return {
      pid: parsed.pid as number,
      hostname: String(parsed.hostname ?? 'an unknown host'),
      since: String(parsed.since ?? 'an unknown time'),
    };
  } catch {
    return undefined;
  }
}

function isLive(holder: DataDirLockHolder, file: string): boolean {
  if (holder.hostname !== hostname()) return true;
  // Our own pid: this process, or an earlier one that had the same pid (pid 1 in a container).
  if (holder.pid === process.pid) return heldHere.has(file);
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(holder.pid);
}

/** A killed process that its parent has not reaped yet still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch {
    return false; // no procfs: trust kill()
  }
}

/**
 * Removes a stale lock, but only the one that was judged stale: it is moved aside first (only
 * one process can move a given file) and put back if it turns out to be a newer one, taken by
 * a process that got there first.
 */
async function removeIfUnchanged(file: string, stale: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (error) {
    ignoreMissing(error);
    return;
  }
  if ((await readFile(aside, 'utf8')) !== stale) await rename(aside, file);
  else await unlink(aside);
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
