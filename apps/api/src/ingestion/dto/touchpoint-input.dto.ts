import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';

import {
  Channel,
  CHANNELS,
  Direction,
  DIRECTIONS,
  LIMITS,
  Pillar,
  PILLARS,
  Sentiment,
  SENTIMENTS,
} from '#lifecycle';

import '../../graphql/types/enums.js';

import { IsInstant } from './is-instant.js';

// The DTOs check every field on its own (types, enums, timestamps, lengths, with the lifecycle
// library's LIMITS) so one answer lists every bad field; the lifecycle rules check them again,
// with what depends on state or time (5 minutes ahead, dueAt after madeAt, transitions).

/** One touchpoint, as integrations send it (the fields of GraphQL's TouchpointInput). */
@InputType('TouchpointInput')
export class TouchpointInputDto {
  @ApiPropertyOptional({
    description: 'Idempotency key (≤ 128 chars); generated when absent, and then a retry is not recognised.',
  })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.itemIdMaxLength)
  @Field(() => ID, { nullable: true })
  touchpointId?: string | null;

  @ApiProperty({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' })
  @IsString()
  @Matches(LIMITS.accountIdPattern, { message: 'accountId must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' })
  @Field(() => ID)
  accountId!: string;

  @ApiProperty({ format: 'date-time', description: 'Business time; at most 5 minutes in the future.' })
  @IsInstant()
  @Field(() => Date)
  occurredAt!: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  @Field(() => Channel)
  channel!: string;

  @ApiProperty({ enum: DIRECTIONS })
  @IsIn(DIRECTIONS)
  @Field(() => Direction)
  direction!: string;

  @ApiProperty({ enum: PILLARS })
  @IsIn(PILLARS)
  @Field(() => Pillar)
  pillar!: string;

  @ApiPropertyOptional({ enum: SENTIMENTS, nullable: true })
  @IsOptional()
  @IsIn(SENTIMENTS)
  @Field(() => Sentiment, { nullable: true })
  sentiment?: string | null;

  @ApiPropertyOptional({
    default: false,
    description: "A customer's time of need: an outage, an escalation.",
  })
  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  momentOfTruth?: boolean | null;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.summaryMaxLength)
  @Field(() => String, { nullable: true })
  summary?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.personIdMaxLength)
  @Field(() => String, { nullable: true })
  actorId?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.participantsMaxCount)
  @IsString({ each: true })
  @MaxLength(LIMITS.participantMaxLength, { each: true })
  @Field(() => [String], { nullable: true })
  participants?: string[] | null;

  @ApiProperty({ description: "The integration's name, e.g. zendesk or manual." })
  @IsString()
  @Length(1, LIMITS.sourceMaxLength)
  @Field(() => String)
  source!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.externalRefMaxLength)
  @Field(() => String, { nullable: true })
  externalRef?: string | null;
}
