export const Direction = {
  INBOUND: 'INBOUND',
  OUTBOUND: 'OUTBOUND',
  INTERNAL: 'INTERNAL',
} as const;
export type Direction = (typeof Direction)[keyof typeof Direction];
export const DIRECTIONS: readonly Direction[] = Object.values(Direction);
