// Runs the embedded EventStoreDB-compatible server on its own:
//   npm run eventstore -- --port 2113 --data ./data/eventstore [--host 127.0.0.1]
import { EmbeddedEventStore } from '#embedded-eventstore';
import { parseArgs } from 'node:util';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run eventstore -- [--port P] [--data DIR] [--host H]`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2113' },
    data: { type: 'string', default: './data/eventstore' },
    host: { type: 'string', default: '127.0.0.1' },
  },
  strict: true,
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  usage(`--port: must be an integer from 0 to 65535 (got "${values.port}")`);

let store: EmbeddedEventStore;
try {
  store = await EmbeddedEventStore.start({ port, dataDir: values.data!, host: values.host });
} catch (error) {
  console.error(`the event store did not start: ${(error as Error).message}`);
  process.exit(1);
}
const report = store.integrity;
if (report.uncleanShutdown) {
  console.error(
    `recovered after an unclean shutdown: ${report.committedFrames} committed WAL frames replayed` +
      (report.discardedFrames || report.tornBytes
        ? `; discarded an unacknowledged torn tail (${report.discardedFrames} frames, ${report.tornBytes} bytes)`
        : ''),
  );
}
console.log(store.connectionString);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    store.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
