// The service bounds how far V8 lets its heap grow past the live set (apps/api/src/heap-growth.ts):
// a process that imports the module, then churns garbage over a fixed live set, commits about
// half the heap one started with V8's own growth factor does.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const HEAP_GROWTH = resolve('dist/apps/api/src/heap-growth.js');

/** Most V8 heap committed while 30 MB stay live and about 2 GB of short-lived objects pass. */
function committedWhileChurning(flags: string[]): number {
  const script = `
    await import(${JSON.stringify(pathToFileURL(HEAP_GROWTH).href)});
    const live = Array.from({ length: 100 }, () => Array.from({ length: 20000 }, (_, i) => ({ i })));
    let young = [];
    let most = 0;
    for (let round = 0; round < 20000; round++) {
      young.push(Array.from({ length: 500 }, (_, i) => ({ i, s: 'x' + i })));
      if (young.length > 400) young = young.slice(200);
      if (round % 100 === 0) most = Math.max(most, process.memoryUsage().heapTotal);
    }
    console.log(JSON.stringify({ most, live: live.length }));
  `;
  const out = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { most: number }).most;
}

describe('the heap growth bound', () => {
  beforeAll(() => {
    if (!existsSync(HEAP_GROWTH)) throw new Error(`${HEAP_GROWTH} is missing: build first (npm test does)`);
  });

  it('keeps the committed heap well below what V8’s own factor lets it reach, unless told otherwise', () => {
    // The most each reaches over three runs: where in V8's cycle of collections the samples fall
    // moves with the CPU the process gets (suites run beside it), V8's own factor the most.
    const bounded: number[] = [];
    const v8Default: number[] = [];
    for (let run = 0; run < 3; run++) {
      bounded.push(committedWhileChurning([]));
      v8Default.push(committedWhileChurning(['--heap-growing-percent=300']));
    }
    expect(Math.max(...bounded)).toBeLessThan(0.8 * Math.max(...v8Default));
  }, 180_000);
});
