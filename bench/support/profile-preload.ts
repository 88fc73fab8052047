// Loaded with `node --import` into a server process so a benchmark can profile exactly its
// measured phase: the first SIGUSR2 starts the CPU profiler, the second writes the profile to
// $BENCH_CPU_PROFILE. Unlike --cpu-prof it does not depend on the process exiting cleanly.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_CPU_PROFILE;
if (out) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(out, JSON.stringify(result.profile));
    });
  });
}
