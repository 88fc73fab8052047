// npm run seed:demo -- [--url http://127.0.0.1:3000] [--token KEY] [--accounts 300] [--seed demo] ...
import { parseCommandLine, USAGE } from './seed-options.js';
import {
  ITEM_KINDS,
  SeedAbortedError,
  seedDemo,
  type ItemKind,
  type SeedProgress,
  type SeedSummary,
} from './seed-demo.js';

const LABELS: Readonly<Record<ItemKind, string>> = {
  accounts: 'accounts',
  stageChanges: 'stage changes',
  commitments: 'commitments',
  commitmentUpdates: 'commitment updates',
  touchpoints: 'touchpoints',
};
const REJECTIONS_SHOWN = 100;
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

async function main(): Promise<number> {
  const parsed = parseCommandLine(process.argv.slice(2), process.env, new Date());
  if (parsed.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (parsed.kind === 'invalid') {
    for (const problem of parsed.problems) console.error(`seed:demo: ${problem}`);
    console.error('Run with --help for the options.');
    return 2;
  }
  const { options } = parsed;
  console.log(
    `Seeding ${number.format(options.accounts)} accounts and ${number.format(options.touchpoints)} touchpoints ` +
      `into ${options.url} (seed "${options.seed}", as of ${options.asOf.toISOString()}, ` +
      `${options.concurrency} requests at once)`,
  );
  let summary: SeedSummary;
  try {
    summary = await seedDemo({ ...options, onProgress: (progress) => console.log(progressLine(progress)) });
  } catch (error) {
    if (error instanceof SeedAbortedError) {
      console.error(`seed:demo: ${error.message}`);
      return 2;
    }
    throw error;
  }
  printSummary(summary);
  const failed = ITEM_KINDS.some((kind) => summary.counts[kind].rejected + summary.counts[kind].skipped > 0);
  return failed ? 1 : 0;
}

function progressLine(p: SeedProgress): string {
  const answered = (kind: ItemKind) => {
    const c = p.counts[kind];
    return c.created + c.duplicate + c.rejected + c.skipped;
  };
  const elapsed = `[${(p.elapsedMs / 1000).toFixed(1).padStart(6)}s]`;
  return `${elapsed} ${[
    `accounts ${number.format(answered('accounts'))}/${number.format(p.planned.accounts)}`,
    `stage changes ${number.format(answered('stageChanges'))}/${number.format(p.planned.stageChanges)}`,
    `commitments ${number.format(answered('commitments'))} (+${number.format(answered('commitmentUpdates'))} updates)`,
    `touchpoints ${number.format(answered('touchpoints'))}/${number.format(p.planned.touchpoints)}`,
    `${number.format(p.touchpointsPerSecond)} touchpoints/s`,
    `${number.format(p.itemsPerSecond)} items/s overall`,
  ].join(' · ')}`;
}

function printSummary(summary: SeedSummary): void {
  const seconds = summary.elapsedMs / 1000;
  const cell = (value: string | number, width: number) =>
    (typeof value === 'number' ? number.format(value) : value).padStart(width);
  console.log(`\nDone in ${seconds.toFixed(1)} s (as of ${summary.asOf}).`);
  console.log(
    `${'item'.padEnd(20)}${cell('created', 11)}${cell('duplicate', 11)}${cell('rejected', 10)}${cell('skipped', 9)}`,
  );
  for (const kind of ITEM_KINDS) {
    const c = summary.counts[kind];
    console.log(
      `${LABELS[kind].padEnd(20)}${cell(c.created, 11)}${cell(c.duplicate, 11)}${cell(c.rejected, 10)}${cell(c.skipped, 9)}`,
    );
  }
  const touchpoints = summary.counts.touchpoints;
  const sent = touchpoints.created + touchpoints.duplicate + touchpoints.rejected;
  console.log(
    `${number.format(sent / Math.max(seconds, 0.001))} touchpoints/s, ` +
      `${number.format(summary.itemsPerSecond)} items/s overall.`,
  );

  if (summary.rejections.length > 0) {
    console.log(`\nRejected (${number.format(summary.rejections.length)}):`);
    for (const r of summary.rejections.slice(0, REJECTIONS_SHOWN)) {
      console.log(`  ${LABELS[r.kind]} ${r.key}: ${r.code}${r.field ? ` (${r.field})` : ''}: ${r.message}`);
    }
    const rest = summary.rejections.slice(REJECTIONS_SHOWN);
    if (rest.length > 0) {
      const byCode = new Map<string, number>();
      for (const r of rest)
        byCode.set(`${LABELS[r.kind]} ${r.code}`, (byCode.get(`${LABELS[r.kind]} ${r.code}`) ?? 0) + 1);
      const codes = [...byCode].map(([code, n]) => `${code} × ${number.format(n)}`).join(', ');
      console.log(`  ... and ${number.format(rest.length)} more: ${codes}`);
    }
  } else {
    console.log(
      `To repeat this run exactly on a later day, give the same options and --as-of ${summary.asOf}`,
    );
  }
}

process.exitCode = await main();
