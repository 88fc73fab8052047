// Loaded with `node --import` into the API process: every second it appends one JSON line to
// $BENCH_LOOP_FILE with how busy the main thread was (event-loop utilisation) and how late its
// timers ran (event-loop delay) over that second, so the benchmark can tell a saturated server
// from a slow pipeline without running a profiler.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const out = process.env.BENCH_LOOP_FILE;
if (out) {
  // Sampled every millisecond; the figures written are how much later than that the timer ran.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let utilisation = performance.eventLoopUtilization();
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, utilisation).utilization;
    utilisation = now;
    const ms = (ns: number) => Math.max(0, Math.round((ns - 1e6) / 1e4) / 100);
    appendFileSync(
      out,
      `${JSON.stringify({ t: Date.now(), elu, p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) })}\n`,
    );
    delay.reset();
  }, 1000).unref();
}
