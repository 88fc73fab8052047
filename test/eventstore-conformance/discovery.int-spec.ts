import { describe, expect, it } from '@jest/globals';
import { jsonEvent, NO_STREAM } from '@eventstore/db-client';

import { readEvents, uniqueName, useEventStore } from './harness.js';

const es = useEventStore();

/** The same target addressed through gossip discovery: esdb://h:p?q → esdb+discover://h:p?q. */
const discoverString = (connectionString: string) =>
  connectionString.replace(/^esdb(\+discover)?:\/\//, 'esdb+discover://');

describe('esdb+discover:// connection strings', () => {
  it('find the single leader through Gossip.Read and can append and read', async () => {
    const connectionString = discoverString(es.target.connectionString);
    expect(connectionString).toMatch(/^esdb\+discover:\/\//);
    const client = es.newClient(connectionString);
    const stream = uniqueName('discover');
    const event = jsonEvent({ type: 'Discovered', data: { via: 'gossip' } });

    const result = await client.appendToStream(stream, event, { expectedRevision: NO_STREAM });
    const viaDiscovery = await readEvents(client, stream);
    const viaDirect = await readEvents(es.client, stream);

    expect(result.nextExpectedRevision).toBe(0n);
    expect(viaDiscovery.map((e) => e.id)).toEqual([event.id]);
    expect(viaDirect.map((e) => e.id)).toEqual([event.id]);
  });
});
