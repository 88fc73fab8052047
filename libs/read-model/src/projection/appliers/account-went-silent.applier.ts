import { eq } from 'drizzle-orm';

import { at, type Applier } from '../apply-context.js';

export const applyAccountWentSilent: Applier<'AccountWentSilent'> = async ({ tx, tables }, data) => {
  await tx
    .update(tables.accounts)
    .set({ silent: true, silentSince: at(data.silentSince) })
    .where(eq(tables.accounts.id, data.accountId));
};
