import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

import { LIMITS } from '#lifecycle';

import { IsInstant } from './is-instant.js';

/** One commitment made to a customer (the fields of GraphQL's MakeCommitmentInput). */
@InputType('MakeCommitmentInput')
export class MakeCommitmentInputDto {
  @ApiPropertyOptional({ description: 'Idempotency key; generated when absent.' })
  @IsOptional()
  @IsString()
  @Length(1, LIMITS.itemIdMaxLength)
  @Field(() => ID, { nullable: true })
  commitmentId?: string | null;

  @ApiProperty()
  @IsString()
  @Matches(LIMITS.accountIdPattern, { message: 'accountId must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' })
  @Field(() => ID)
  accountId!: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, LIMITS.titleMaxLength)
  @Field(() => String)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.descriptionMaxLength)
  @Field(() => String, { nullable: true })
  description?: string | null;

  @ApiProperty()
  @IsString()
  @Length(1, LIMITS.personIdMaxLength)
  @Field(() => String)
  ownerId!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default now.' })
  @IsOptional()
  @IsInstant()
  @Field(() => Date, { nullable: true })
  madeAt?: string | null;

  @ApiProperty({
    format: 'date-time',
    description: 'Must be after madeAt; may already be past when importing.',
  })
  @IsInstant()
  @Field(() => Date)
  dueAt!: string;

  @ApiPropertyOptional({ description: 'The touchpoint where it was promised.' })
  @IsOptional()
  @IsString()
  @Field(() => ID, { nullable: true })
  touchpointId?: string | null;
}
