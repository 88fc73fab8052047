import { eq } from 'drizzle-orm';

import type { Applier } from '../apply-context.js';

export const applyAccountCadenceSet: Applier<'AccountCadenceSet'> = async ({ tx, tables }, data) => {
  await tx
    .update(tables.accounts)
    .set({ cadenceDays: data.cadenceDays })
    .where(eq(tables.accounts.id, data.accountId));
};
