// The migration that adds stage_visits.to_stage fills it in for the visits exited before it.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';
import { asc, sql } from 'drizzle-orm';

import { liveTables as t, migrationsFolder, ReadModelDatabase } from '#read-model';

import { tempDir } from '../support/helpers.js';
import { DATABASE_TARGETS, type FreshDatabase } from './databases.js';

type Journal = { entries: Array<{ tag: string }> };

/** A copy of the migrations folder that stops just before `tag`. */
async function migrationsBefore(tag: string, into: string): Promise<string> {
  const source = migrationsFolder();
  const journal = JSON.parse(await readFile(join(source, 'meta', '_journal.json'), 'utf8')) as Journal;
  const index = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(index).toBeGreaterThan(0);
  const entries = journal.entries.slice(0, index);
  await mkdir(join(into, 'meta'), { recursive: true });
  await writeFile(join(into, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const entry of entries)
    await copyFile(join(source, `${entry.tag}.sql`), join(into, `${entry.tag}.sql`));
  return into;
}

describe.each(DATABASE_TARGETS)('the to_stage migration on $name', (target) => {
  let database: FreshDatabase;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let readModel: ReadModelDatabase | undefined;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    database = await target.fresh();
    dir = await tempDir('migrations');
  });
  afterEach(async () => {
    await readModel?.close();
    await database?.drop();
    await dir?.remove();
  });

  it('sets the stage each exited visit went to, and leaves current visits without one', async () => {
    readModel = await ReadModelDatabase.open(database.config);
    await readModel.migrate(await migrationsBefore('0001_stage_visits_to_stage', dir.path));
    await readModel.db.execute(sql`
      insert into stage_visits (account_id, seq, stage, from_stage, entered_at, exited_at, reason) values
        ('acme', 0, 'PROSPECT', null, '2025-01-01T00:00:00Z', '2025-01-05T00:00:00Z', null),
        ('acme', 1, 'DISCOVERY', 'PROSPECT', '2025-01-05T00:00:00Z', '2025-01-09T00:00:00Z', null),
        ('acme', 2, 'LOST', 'DISCOVERY', '2025-01-09T00:00:00Z', null, 'no budget'),
        ('globex', 0, 'ACTIVE', null, '2025-01-01T00:00:00Z', null, null)`);

    await readModel.migrate();

    const rows = await readModel.db
      .select({ accountId: t.stageVisits.accountId, seq: t.stageVisits.seq, toStage: t.stageVisits.toStage })
      .from(t.stageVisits)
      .orderBy(asc(t.stageVisits.accountId), asc(t.stageVisits.seq));
    expect(rows).toEqual([
      { accountId: 'acme', seq: 0, toStage: 'DISCOVERY' },
      { accountId: 'acme', seq: 1, toStage: 'LOST' },
      { accountId: 'acme', seq: 2, toStage: null },
      { accountId: 'globex', seq: 0, toStage: null },
    ]);
  });
});
