import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RELATIVE = join('libs', 'read-model', 'drizzle');

/**
 * The folder drizzle-kit generates migrations into. Found by walking up from this file, so it
 * is the same folder whether this runs from the sources (tests) or from `dist/` (`npm start`).
 */
export function migrationsFolder(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`No read-model migrations (${RELATIVE}) above ${from}`);
  }
}
