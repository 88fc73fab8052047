import { defineAccountVersions } from './account-versions.table.js';
import { defineAccounts } from './accounts.table.js';
import { defineCommitments } from './commitments.table.js';
import { defineProjectionCheckpoints } from './projection-checkpoints.table.js';
import { defineStageVisits } from './stage-visits.table.js';
import { tableFactory } from './table-factory.js';
import { defineTimelineEntries } from './timeline-entries.table.js';
import { defineTouchpoints } from './touchpoints.table.js';

/** The tables of one read model, in the default schema or in `schemaName`. */
export function readModelTables(schemaName?: string) {
  const table = tableFactory(schemaName);
  return {
    accounts: defineAccounts(table),
    accountVersions: defineAccountVersions(table),
    stageVisits: defineStageVisits(table),
    touchpoints: defineTouchpoints(table),
    commitments: defineCommitments(table),
    timelineEntries: defineTimelineEntries(table),
    projectionCheckpoints: defineProjectionCheckpoints(table),
  };
}

export type ReadModelTables = ReturnType<typeof readModelTables>;
