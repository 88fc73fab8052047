import { registerEnumType } from '@nestjs/graphql';

import {
  CommitmentStatus,
  Channel,
  Direction,
  LifecyclePhase,
  LifecycleStage,
  Pillar,
  Sentiment,
  Tier,
} from '#lifecycle';

// The lifecycle library's enums are the contract's enums: registered once, under the contract's names.
registerEnumType(Tier, { name: 'Tier' });
registerEnumType(LifecycleStage, { name: 'LifecycleStage' });
registerEnumType(LifecyclePhase, { name: 'LifecyclePhase' });
registerEnumType(Channel, { name: 'Channel' });
registerEnumType(Direction, { name: 'Direction' });
registerEnumType(Pillar, { name: 'Pillar' });
registerEnumType(Sentiment, { name: 'Sentiment' });
registerEnumType(CommitmentStatus, { name: 'CommitmentStatus' });

export const AlertKind = {
  COMMITMENT_MISSED: 'COMMITMENT_MISSED',
  COMMITMENT_DUE_SOON: 'COMMITMENT_DUE_SOON',
  ACCOUNT_SILENT: 'ACCOUNT_SILENT',
  NEGATIVE_MOMENT_OF_TRUTH: 'NEGATIVE_MOMENT_OF_TRUTH',
  HEALTH_DROPPED: 'HEALTH_DROPPED',
} as const;
export type AlertKind = (typeof AlertKind)[keyof typeof AlertKind];
registerEnumType(AlertKind, { name: 'AlertKind' });

export const Severity = { LOW: 'LOW', MEDIUM: 'MEDIUM', HIGH: 'HIGH', CRITICAL: 'CRITICAL' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];
registerEnumType(Severity, { name: 'Severity' });

export const AlertStatus = { OPEN: 'OPEN', ACKNOWLEDGED: 'ACKNOWLEDGED', RESOLVED: 'RESOLVED' } as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];
registerEnumType(AlertStatus, { name: 'AlertStatus' });

export const HealthBand = { GREEN: 'GREEN', AMBER: 'AMBER', RED: 'RED' } as const;
export type HealthBand = (typeof HealthBand)[keyof typeof HealthBand];
registerEnumType(HealthBand, { name: 'HealthBand' });

export const ItemStatus = { CREATED: 'CREATED', DUPLICATE: 'DUPLICATE', REJECTED: 'REJECTED' } as const;
export type ItemStatus = (typeof ItemStatus)[keyof typeof ItemStatus];
registerEnumType(ItemStatus, { name: 'ItemStatus' });

export const AccountOrder = {
  HEALTH_ASC: 'HEALTH_ASC',
  HEALTH_DESC: 'HEALTH_DESC',
  LAST_TOUCH_ASC: 'LAST_TOUCH_ASC',
  DAYS_IN_STAGE_DESC: 'DAYS_IN_STAGE_DESC',
  NAME_ASC: 'NAME_ASC',
} as const;
export type AccountOrder = (typeof AccountOrder)[keyof typeof AccountOrder];
registerEnumType(AccountOrder, { name: 'AccountOrder' });

export const AlertEventType = {
  RAISED: 'RAISED',
  ESCALATED: 'ESCALATED',
  ACKNOWLEDGED: 'ACKNOWLEDGED',
  RESOLVED: 'RESOLVED',
} as const;
export type AlertEventType = (typeof AlertEventType)[keyof typeof AlertEventType];
registerEnumType(AlertEventType, { name: 'AlertEventType' });
