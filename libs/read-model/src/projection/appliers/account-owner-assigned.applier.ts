import { eq } from 'drizzle-orm';

import type { Applier } from '../apply-context.js';

export const applyAccountOwnerAssigned: Applier<'AccountOwnerAssigned'> = async ({ tx, tables }, data) => {
  await tx
    .update(tables.accounts)
    .set({ ownerId: data.ownerId })
    .where(eq(tables.accounts.id, data.accountId));
};
