import { jest } from '@jest/globals';

import { DeadlineMonitor, type ScanResult } from './deadline-monitor.js';

/** A monitor whose scans take `scanMs` each (on fake timers) and record when they start. */
function monitorWithScansOf(scanMs: number, intervalMs: number) {
  const starts: number[] = [];
  const monitor = new DeadlineMonitor(
    {} as never,
    {} as never,
    { now: () => new Date() } as never,
    { riskScanIntervalMs: intervalMs } as never,
    {} as never,
    {} as never,
    { review: async () => ({ dropped: 0, recovered: 0 }) } as never,
    { autoStart: false },
  );
  // The scan itself is the read model's and the commands' business; here only its timing matters.
  (monitor as unknown as { scan: (now: Date) => Promise<ScanResult> }).scan = async (now) => {
    starts.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, scanMs));
    return { at: now } as ScanResult;
  };
  return { monitor, starts };
}

/** Stops the monitor, letting the scan under way finish on the fake clock. */
async function stopped(monitor: DeadlineMonitor): Promise<void> {
  const stopping = monitor.stop();
  await jest.advanceTimersByTimeAsync(5_000);
  await stopping;
}

describe('DeadlineMonitor scheduling', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('starts a scan every interval, counted from the start of the previous one', async () => {
    const { monitor, starts } = monitorWithScansOf(400, 1000);
    monitor.start();
    await jest.advanceTimersByTimeAsync(4_100);
    await stopped(monitor);
    expect(starts).toEqual([1000, 2000, 3000, 4000]);
  });

  it('starts the next scan at once after one that took longer than the interval, never two at a time', async () => {
    const { monitor, starts } = monitorWithScansOf(1500, 1000);
    monitor.start();
    await jest.advanceTimersByTimeAsync(5_100);
    await stopped(monitor);
    // Each at the end of the one before (setTimeout's delay is at least 1 ms).
    expect(starts).toEqual([1000, 2501, 4002]);
  });
});
