import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ItemErrorDto {
  @ApiProperty({ example: 'ACCOUNT_NOT_FOUND' })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiPropertyOptional({ description: 'The first bad field, for BAD_USER_INPUT.' })
  field?: string;
}

export class ItemResultDto {
  @ApiProperty({ description: 'Position of the item in the request.' })
  index!: number;

  @ApiPropertyOptional({ description: 'For accounts.' })
  id?: string;

  @ApiPropertyOptional({ description: 'For touchpoints: the given or generated id.' })
  touchpointId?: string;

  @ApiPropertyOptional({ description: 'For commitments: the given or generated id.' })
  commitmentId?: string;

  @ApiProperty({ enum: ['created', 'duplicate', 'rejected'] })
  status!: string;

  @ApiPropertyOptional({ type: ItemErrorDto })
  error?: ItemErrorDto;
}

export class BatchResultsDto {
  @ApiProperty({ type: [ItemResultDto] })
  results!: ItemResultDto[];
}

export class OperationResultDto {
  @ApiProperty()
  accountId!: string;

  @ApiProperty({ enum: ['created', 'unchanged', 'duplicate'] })
  status!: string;

  @ApiProperty({ description: "The account stream's revision after the operation." })
  revision!: string;
}
