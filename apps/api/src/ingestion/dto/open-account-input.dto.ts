import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

import { LIFECYCLE_STAGES, LifecycleStage, LIMITS, Tier, TIERS } from '#lifecycle';

import '../../graphql/types/enums.js';

import { IsInstant } from './is-instant.js';

/** One account to open (the fields of GraphQL's OpenAccountInput). */
@InputType('OpenAccountInput')
export class OpenAccountInputDto {
  @ApiProperty({
    pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$',
    description: "The caller's own id for the account.",
  })
  @IsString()
  @Matches(LIMITS.accountIdPattern, { message: 'id must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' })
  @Field(() => ID)
  id!: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, LIMITS.nameMaxLength)
  @Field(() => String)
  name!: string;

  @ApiProperty({ enum: TIERS })
  @IsIn(TIERS)
  @Field(() => Tier)
  tier!: string;

  @ApiProperty({ description: 'The account manager.' })
  @IsString()
  @Length(1, LIMITS.personIdMaxLength)
  @Field(() => String)
  ownerId!: string;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES, default: 'PROSPECT' })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  @Field(() => LifecycleStage, { nullable: true, defaultValue: 'PROSPECT' })
  stage?: string | null;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Default now; may be in the past when importing history.',
  })
  @IsOptional()
  @IsInstant()
  @Field(() => Date, { nullable: true })
  openedAt?: string | null;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 365,
    description: 'Agreed contact cadence in days; default by tier.',
  })
  @IsOptional()
  @IsInt()
  @Min(LIMITS.cadenceMinDays)
  @Max(LIMITS.cadenceMaxDays)
  @Field(() => Int, { nullable: true })
  cadenceDays?: number | null;
}
