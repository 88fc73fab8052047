// What StreamCommandHandler tells its `onHandled` listener (what the command metrics count).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestingModule } from '@nestjs/testing';

import { StreamCommandHandler, type Decider, type HandledReport } from '#command-handling';
import { EventStore, type EventContext } from '#eventstore';

import { bootEventStore } from '../eventstore/boot.js';

type Added = { type: 'Added'; data: { id: string } };
type Add = { id: string; valid: boolean };
type Outcome = 'created' | 'duplicate';
class Rejected extends Error {}

const decider: Decider<readonly string[], Add, Added, Outcome> = {
  initialState: [],
  evolve: (ids, e) => [...ids, e.data.id],
  decide(c, ids) {
    if (!c.valid) throw new Rejected('invalid');
    if (ids.includes(c.id)) return { events: [], outcome: 'duplicate' };
    return { events: [{ type: 'Added', data: { id: c.id } }], outcome: 'created' };
  },
  isRejection: (e) => e instanceof Rejected,
};

const context: EventContext = { correlationId: 'c-1', causationId: 'c-1', principal: 'tester' };
const outcomes = (report: HandledReport<Add, Added, Outcome>) =>
  report.commands.map((c, i) => {
    const result = report.results?.[i];
    return `${c.id}:${result === undefined ? 'failed' : result.ok ? result.outcome : 'rejected'}`;
  });

describe('StreamCommandHandler onHandled', () => {
  let moduleRef: TestingModule;
  let store: EventStore;
  const dataDir = mkdtempSync(join(tmpdir(), 'cmd-report-'));

  beforeAll(async () => {
    moduleRef = await bootEventStore({ DATA_DIR: dataDir });
    store = moduleRef.get(EventStore);
  });
  afterAll(async () => {
    await moduleRef.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports every command with its outcome and the events appended', async () => {
    const reports: HandledReport<Add, Added, Outcome>[] = [];
    const handler = new StreamCommandHandler(store, decider, { onHandled: (r) => reports.push(r) });
    const stream = `report-${randomUUID()}`;
    await handler.handle(
      stream,
      [
        { id: 'a', valid: true },
        { id: 'b', valid: false },
        { id: 'a', valid: true },
      ],
      context,
    );
    await handler.handle(stream, [{ id: 'a', valid: true }], context);
    expect(reports.map(outcomes)).toEqual([['a:created', 'b:rejected', 'a:duplicate'], ['a:duplicate']]);
    expect(reports.map((r) => r.appended.map((e) => `${e.type}:${e.data.id}`))).toEqual([['Added:a'], []]);
  });

  it('reports the commands of a call that failed as failed, and still throws', async () => {
    const reports: HandledReport<Add, Added, Outcome>[] = [];
    const broken = Object.create(store) as EventStore;
    broken.append = () => Promise.reject(new Error('store unreachable'));
    const handler = new StreamCommandHandler(broken, decider, { onHandled: (r) => reports.push(r) });
    await expect(
      handler.handle(`report-${randomUUID()}`, [{ id: 'x', valid: true }], context),
    ).rejects.toThrow('store unreachable');
    expect(reports.map(outcomes)).toEqual([['x:failed']]);
    expect(reports[0].appended).toEqual([]);
  });

  it('a listener that throws fails no command: the error goes to onBackgroundError', async () => {
    const background: unknown[] = [];
    const handler = new StreamCommandHandler(store, decider, {
      onHandled: () => {
        throw new Error('listener broke');
      },
      onBackgroundError: (error) => background.push(error),
    });
    const handled = await handler.handle(`report-${randomUUID()}`, [{ id: 'y', valid: true }], context);
    expect(handled.results).toEqual([{ ok: true, outcome: 'created', events: [expect.anything()] }]);
    expect(background).toEqual([new Error('listener broke')]);
  });
});
