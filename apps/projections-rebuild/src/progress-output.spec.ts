import type { RebuildProgress, RebuildSummary } from '#read-model';

import { ProgressOutput } from './progress-output.js';

class Capture {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  cursorTo(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  on(): this {
    return this;
  }
  removeListener(): this {
    return this;
  }
  get columns(): number {
    return 120;
  }
}

const progress = (phase: RebuildProgress['phase'], eventsApplied: number, totalEstimate?: number) =>
  ({ phase, eventsApplied, totalEstimate, position: undefined }) satisfies RebuildProgress;

const summary: RebuildSummary = {
  schema: 'read_model_rebuild',
  liveSchema: 'public',
  eventsApplied: 300,
  eventsAppliedWhileLocked: 4,
  checkpoint: { commit: 1234n, prepare: 1234n },
  switchAttempts: 1,
  lockedMs: 12,
  durationMs: 4200,
};

describe('ProgressOutput', () => {
  it('writes a line per phase and at most one per interval otherwise, then the summary', () => {
    const stream = new Capture(false);
    let now = 0;
    const output = new ProgressOutput(stream, 1000, () => now);
    output.update(progress('preparing', 0, 300));
    output.update(progress('replaying', 50, 300));
    now = 500;
    output.update(progress('replaying', 100, 300)); // within the interval: skipped
    now = 1600;
    output.update(progress('replaying', 150, 300));
    output.update(progress('switching', 300, 300));
    output.update(progress('done', 300, 300));
    output.finish(summary);

    expect(stream.text.split('\n').slice(0, 4)).toEqual([
      'rebuild: making fresh tables: 0 events applied of about 300 (0%)',
      'rebuild: replaying: 50 events applied of about 300 (16%)',
      'rebuild: replaying: 150 events applied of about 300 (50%)',
      'rebuild: switching over: 300 events applied of about 300 (100%)',
    ]);
    expect(stream.text).toContain('rebuild: done in 4.2 s');
    expect(stream.text).toContain('events applied:      300');
    expect(stream.text).toContain('under the locks:     4 (live tables locked 12 ms, 1 attempt)');
    expect(stream.text).toContain('checkpoint:          1234/1234');
  });

  it('draws a bar on a terminal', () => {
    const stream = new Capture(true);
    const output = new ProgressOutput(stream);
    output.update(progress('replaying', 150, 300));
    output.update(progress('replaying', 300, 300));
    output.finish(summary);
    expect(stream.text).toMatch(/rebuild \[[█░]+\] \d+% \| \d+\/300 events \| replaying/);
    expect(stream.text).toContain('rebuild: done in 4.2 s');
    expect(stream.text).not.toContain('events applied of about');
  });
});
