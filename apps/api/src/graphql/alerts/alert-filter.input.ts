import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

import { ALERT_KINDS, ALERT_STATUSES, SEVERITIES } from '#alerts';
import { LIMITS, Tier, TIERS } from '#lifecycle';

import { AlertKind, AlertStatus, Severity } from '../types/enums.js';

/** The alert list's filters; all given ones must hold (lists: any of their values). */
@InputType('AlertFilter')
export class AlertFilter {
  @Field(() => [AlertStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(ALERT_STATUSES.length)
  @IsIn(ALERT_STATUSES, { each: true })
  statuses?: AlertStatus[] | null;

  @Field(() => [AlertKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(ALERT_KINDS.length)
  @IsIn(ALERT_KINDS, { each: true })
  kinds?: AlertKind[] | null;

  @Field(() => Severity, { nullable: true })
  @IsOptional()
  @IsIn(SEVERITIES)
  minSeverity?: Severity | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  @Matches(LIMITS.accountIdPattern, { message: 'accountId must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' })
  accountId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.personIdMaxLength)
  ownerId?: string | null;

  @Field(() => [Tier], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(TIERS.length)
  @IsIn(TIERS, { each: true })
  tiers?: Tier[] | null;
}
