import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject } from 'class-validator';

import { MakeCommitmentInputDto } from './make-commitment-input.dto.js';
import { OpenAccountInputDto } from './open-account-input.dto.js';
import { TouchpointInputDto } from './touchpoint-input.dto.js';

export const MAX_BATCH_ITEMS = 1000;

// The envelope is checked by the global validation pipe (400 and nothing written when it is
// wrong); each item is then checked on its own, so one bad item is rejected alone.

export class TouchpointBatchDto {
  @ApiProperty({ type: [TouchpointInputDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @IsObject({ each: true, message: 'each item of touchpoints must be an object' })
  touchpoints!: Record<string, unknown>[];
}

export class AccountBatchDto {
  @ApiProperty({ type: [OpenAccountInputDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @IsObject({ each: true, message: 'each item of accounts must be an object' })
  accounts!: Record<string, unknown>[];
}

export class CommitmentBatchDto {
  @ApiProperty({ type: [MakeCommitmentInputDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @IsObject({ each: true, message: 'each item of commitments must be an object' })
  commitments!: Record<string, unknown>[];
}
