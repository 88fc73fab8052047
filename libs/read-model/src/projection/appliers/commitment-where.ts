import { and, eq } from 'drizzle-orm';

import type { ReadModelTables } from '../../schema/read-model-tables.js';

export const commitmentWhere = (
  tables: ReadModelTables,
  data: { readonly accountId: string; readonly commitmentId: string },
) => and(eq(tables.commitments.accountId, data.accountId), eq(tables.commitments.id, data.commitmentId));
