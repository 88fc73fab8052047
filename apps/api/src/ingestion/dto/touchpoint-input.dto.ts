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

import { CHANNELS, DIRECTIONS, LIMITS, PILLARS, SENTIMENTS } from '#lifecycle';

import { IsInstant } from './is-instant.js';

// The DTOs check every field on its own (types, enums, timestamps, lengths, with the lifecycle
// library's LIMITS) so one answer lists every bad field; the lifecycle rules check them again,
// with what depends on state or time (5 minutes ahead, dueAt after madeAt, transitions).

/** One touchpoint, as integrations send it (the fields of GraphQL's TouchpointInput). */
export class TouchpointInputDto {
  @ApiPropertyOptional({
    description: 'Idempotency key (≤ 128 chars); generated when absent, and then a retry is not recognised.',
  })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.itemIdMaxLength)
  touchpointId?: string | null;

  @ApiProperty({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' })
  @IsString()
  @Matches(LIMITS.accountIdPattern, { message: 'accountId must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' })
  accountId!: string;

  @ApiProperty({ format: 'date-time', description: 'Business time; at most 5 minutes in the future.' })
  @IsInstant()
  occurredAt!: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel!: string;

  @ApiProperty({ enum: DIRECTIONS })
  @IsIn(DIRECTIONS)
  direction!: string;

  @ApiProperty({ enum: PILLARS })
  @IsIn(PILLARS)
  pillar!: string;

  @ApiPropertyOptional({ enum: SENTIMENTS, nullable: true })
  @IsOptional()
  @IsIn(SENTIMENTS)
  sentiment?: string | null;

  @ApiPropertyOptional({
    default: false,
    description: "A customer's time of need: an outage, an escalation.",
  })
  @IsOptional()
  @IsBoolean()
  momentOfTruth?: boolean | null;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.summaryMaxLength)
  summary?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.personIdMaxLength)
  actorId?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.participantsMaxCount)
  @IsString({ each: true })
  @MaxLength(LIMITS.participantMaxLength, { each: true })
  participants?: string[] | null;

  @ApiProperty({ description: "The integration's name, e.g. zendesk or manual." })
  @IsString()
  @Length(1, LIMITS.sourceMaxLength)
  source!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.externalRefMaxLength)
  externalRef?: string | null;
}
