export const Pillar = {
  DISCOVERY: 'DISCOVERY',
  SERVICE: 'SERVICE',
  ENGAGEMENT: 'ENGAGEMENT',
} as const;
export type Pillar = (typeof Pillar)[keyof typeof Pillar];
export const PILLARS: readonly Pillar[] = Object.values(Pillar);
