import { at, type Applier } from '../apply-context.js';

export const applyCommitmentMade: Applier<'CommitmentMade'> = async ({ tx, tables }, data) => {
  await tx
    .insert(tables.commitments)
    .values({
      accountId: data.accountId,
      id: data.commitmentId,
      title: data.title,
      description: data.description,
      ownerId: data.ownerId,
      madeAt: at(data.madeAt),
      dueAt: at(data.dueAt),
      touchpointId: data.touchpointId,
      status: 'OPEN',
    })
    .onConflictDoNothing();
};
