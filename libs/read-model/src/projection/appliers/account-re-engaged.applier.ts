import { eq } from 'drizzle-orm';

import type { Applier } from '../apply-context.js';

export const applyAccountReEngaged: Applier<'AccountReEngaged'> = async ({ tx, tables }, data) => {
  await tx
    .update(tables.accounts)
    .set({ silent: false, silentSince: null })
    .where(eq(tables.accounts.id, data.accountId));
};
