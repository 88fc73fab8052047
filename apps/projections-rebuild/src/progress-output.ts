import cliProgress from 'cli-progress';

import type { RebuildPhase, RebuildProgress, RebuildSummary } from '#read-model';

/** Where progress goes: a terminal gets a bar, anything else a line now and then. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const PHASES: Record<RebuildPhase, string> = {
  preparing: 'making fresh tables',
  replaying: 'replaying',
  switching: 'switching over',
  done: 'done',
};

/**
 * Shows a rebuild's progress: a bar redrawn in place on a terminal; otherwise a plain line at
 * each phase and at most every `everyMs` in between (logs and CI keep every line).
 */
export class ProgressOutput {
  private bar: cliProgress.SingleBar | undefined;
  private lastPhase: RebuildPhase | undefined;
  private lastLineAt = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly everyMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  update(progress: RebuildProgress): void {
    if (this.interactive) this.draw(progress);
    else this.line(progress);
    this.lastPhase = progress.phase;
  }

  /** Ends the bar (if any) and writes the summary. */
  finish(summary: RebuildSummary): void {
    this.stopBar();
    const checkpoint = summary.checkpoint
      ? `${summary.checkpoint.commit}/${summary.checkpoint.prepare}`
      : 'none (no account events)';
    this.stream.write(
      [
        `rebuild: done in ${seconds(summary.durationMs)}`,
        `  events applied:      ${summary.eventsApplied}`,
        `  under the locks:     ${summary.eventsAppliedWhileLocked} (live tables locked ${summary.lockedMs} ms, ${summary.switchAttempts} attempt${summary.switchAttempts === 1 ? '' : 's'})`,
        `  checkpoint:          ${checkpoint}`,
        `  live tables:         replaced by the rebuilt ones in schema "${summary.liveSchema}"`,
        '',
      ].join('\n'),
    );
  }

  /** Ends the bar (if any) so that a message after it starts on a line of its own. */
  abandon(): void {
    this.stopBar();
  }

  private draw(progress: RebuildProgress): void {
    const total = Math.max(1, progress.totalEstimate ?? progress.eventsApplied);
    const payload = { phase: PHASES[progress.phase] };
    if (this.bar === undefined) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.stream as NodeJS.WritableStream,
          format: 'rebuild [{bar}] {percentage}% | {value}/{total} events | {phase}',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, progress.eventsApplied, payload);
      return;
    }
    this.bar.setTotal(total);
    this.bar.update(progress.eventsApplied, payload);
  }

  private line(progress: RebuildProgress): void {
    const now = this.now();
    if (progress.phase === this.lastPhase && now - this.lastLineAt < this.everyMs) return;
    if (progress.phase === 'done') return; // the summary says it
    this.lastLineAt = now;
    const total = progress.totalEstimate;
    const share =
      total === undefined || total === 0
        ? ''
        : ` of about ${total} (${Math.floor((100 * progress.eventsApplied) / total)}%)`;
    this.stream.write(
      `rebuild: ${PHASES[progress.phase]}: ${progress.eventsApplied} events applied${share}\n`,
    );
  }

  private stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
