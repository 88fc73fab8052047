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

describe('DeadlineMonitor armed deadlines', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('sends the command only once the clock the deciders read has passed the instant', async () => {
    // The wall clock falls 2 ms behind the timers' clock after arming, as it may in production.
    let lag = 0;
    const sent: number[] = [];
    const monitor = new DeadlineMonitor(
      {} as never,
      {} as never,
      { now: () => new Date(Date.now() - lag) } as never,
      { riskScanIntervalMs: 1000 } as never,
      {} as never,
      {} as never,
      {} as never,
      { autoStart: false },
    );
    const arm = (
      monitor as unknown as { arm: (key: string, at: Date, command: () => object) => boolean }
    ).arm.bind(monitor);
    // The command's outcome is the stream's business; here only when it is sent matters.
    (monitor as unknown as { execute: (command: object) => Promise<boolean> }).execute = async () => {
      sent.push(Date.now() - lag);
      return true;
    };
    expect(arm('missed:a:c:500', new Date(500), () => ({}))).toBe(true);
    expect(arm('missed:a:c:500', new Date(500), () => ({}))).toBe(false);
    lag = 2;
    await jest.advanceTimersByTimeAsync(501);
    expect(sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(10);
    expect(sent).toEqual([501]);
    await monitor.stop();
  });

  it('sends nothing once stopped', async () => {
    const sent: number[] = [];
    const monitor = new DeadlineMonitor(
      {} as never,
      {} as never,
      { now: () => new Date() } as never,
      { riskScanIntervalMs: 1000 } as never,
      {} as never,
      {} as never,
      {} as never,
      { autoStart: false },
    );
    (monitor as unknown as { execute: (command: object) => Promise<boolean> }).execute = async () => {
      sent.push(Date.now());
      return true;
    };
    (monitor as unknown as { arm: (key: string, at: Date, command: () => object) => boolean }).arm(
      'silent:a:500',
      new Date(500),
      () => ({}),
    );
    await monitor.stop();
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([]);
  });
});
