import { sql } from 'drizzle-orm';

import { at, type Applier } from '../apply-context.js';
import { commitmentWhere } from './commitment-where.js';

export const applyCommitmentRenegotiated: Applier<'CommitmentRenegotiated'> = async (
  { tx, tables },
  data,
) => {
  await tx
    .update(tables.commitments)
    .set({
      status: 'OPEN',
      dueAt: at(data.newDueAt),
      renegotiations: sql`${tables.commitments.renegotiations} + 1`,
      // Back to OPEN with a date the customer agreed: the miss no longer stands.
      missedAt: null,
      resolvedAt: null,
    })
    .where(commitmentWhere(tables, data));
};
