// Imported first by main.ts, before the service allocates anything of note.
//
// V8 lets the old generation grow to as much as four times what survived the last full garbage
// collection before it collects again, and keeps what it committed. Under the soak's steady load
// (npm run bench:soak) the service's live set stayed near 90 MiB while its committed heap climbed
// from 320 to 400 MiB in ten minutes, and RSS with it. Growing to twice the live set instead bounds
// the heap near 2 × live + the young generation, at the price of full collections about twice as
// often (each one mostly concurrent, on another thread). `node --heap-growing-percent=N` still
// chooses another factor (1 + N/100).
import { setFlagsFromString } from 'node:v8';

export const DEFAULT_HEAP_GROWING_PERCENT = 100;

if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  // V8 reads this flag each time it sets the heap's next limit, so it applies from here on.
  setFlagsFromString(`--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`);
}
