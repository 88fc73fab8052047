import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

import { LIFECYCLE_STAGES, LIMITS } from '#lifecycle';

import { IsInstant } from './is-instant.js';

export class ChangeStageDto {
  @ApiProperty({ enum: LIFECYCLE_STAGES })
  @IsIn(LIFECYCLE_STAGES)
  to!: string;

  @ApiPropertyOptional({ description: 'Required for LOST and CHURNED.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.reasonMaxLength)
  reason?: string | null;

  @ApiPropertyOptional({ description: 'What a lost deal teaches (LOST only).' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.lessonsMaxLength)
  lessons?: string | null;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default now.' })
  @IsOptional()
  @IsInstant()
  occurredAt?: string | null;
}

export class FulfilCommitmentDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default now.' })
  @IsOptional()
  @IsInstant()
  fulfilledAt?: string | null;
}

export class RenegotiateCommitmentDto {
  @ApiProperty({ format: 'date-time' })
  @IsInstant()
  newDueAt!: string;

  @ApiProperty()
  @IsString()
  @Length(1, LIMITS.reasonMaxLength)
  reason!: string;
}

export class CancelCommitmentDto {
  @ApiProperty()
  @IsString()
  @Length(1, LIMITS.reasonMaxLength)
  reason!: string;
}
