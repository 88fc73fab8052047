import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';

import { LIFECYCLE_STAGES, LifecycleStage, LIMITS, Tier, TIERS } from '#lifecycle';
import { HEALTH_BANDS } from '#read-model';

import { HealthBand } from '../types/enums.js';

/** The portfolio's filters; all given ones must hold (lists: any of their values). */
@InputType('AccountFilter')
export class AccountFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.personIdMaxLength)
  ownerId?: string | null;

  @Field(() => [LifecycleStage], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(LIFECYCLE_STAGES.length)
  @IsIn(LIFECYCLE_STAGES, { each: true })
  stages?: LifecycleStage[] | null;

  @Field(() => [Tier], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(TIERS.length)
  @IsIn(TIERS, { each: true })
  tiers?: Tier[] | null;

  @Field(() => [HealthBand], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(HEALTH_BANDS.length)
  @IsIn(HEALTH_BANDS, { each: true })
  healthBands?: HealthBand[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  silent?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  hasOverdueCommitments?: boolean | null;

  @Field(() => String, { nullable: true, description: 'case-insensitive' })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.nameMaxLength)
  nameContains?: string | null;
}
