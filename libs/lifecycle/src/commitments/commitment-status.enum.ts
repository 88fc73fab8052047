export const CommitmentStatus = {
  OPEN: 'OPEN',
  FULFILLED: 'FULFILLED',
  MISSED: 'MISSED',
  CANCELLED: 'CANCELLED',
} as const;
export type CommitmentStatus = (typeof CommitmentStatus)[keyof typeof CommitmentStatus];
export const COMMITMENT_STATUSES: readonly CommitmentStatus[] = Object.values(CommitmentStatus);
