// The live read model's tables (default schema). drizzle-kit reads this file to generate
// migrations; the application imports the same objects.
import { readModelTables } from './read-model-tables.js';

export const liveTables = readModelTables();

export const {
  accounts,
  accountVersions,
  stageVisits,
  touchpoints,
  commitments,
  timelineEntries,
  projectionCheckpoints,
} = liveTables;
