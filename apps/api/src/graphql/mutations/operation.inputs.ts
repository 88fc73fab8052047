import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

import { LIFECYCLE_STAGES, LifecycleStage, LIMITS } from '#lifecycle';

import { IsInstant } from '../../ingestion/dto/is-instant.js';
import '../types/enums.js';

// The contract's inputs for single operations. Each is validated as a whole by the global
// validation pipe: every bad field is listed, and nothing is written.

const ACCOUNT_ID_RULE = { message: 'accountId must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' };

@InputType('ChangeStageInput')
export class ChangeStageInput {
  @Field(() => ID)
  @IsString()
  @Matches(LIMITS.accountIdPattern, ACCOUNT_ID_RULE)
  accountId!: string;

  @Field(() => LifecycleStage)
  @IsIn(LIFECYCLE_STAGES)
  to!: LifecycleStage;

  @Field(() => String, { nullable: true, description: 'Required for LOST and CHURNED.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.reasonMaxLength)
  reason?: string | null;

  @Field(() => String, { nullable: true, description: 'What a lost deal teaches (LOST only).' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.lessonsMaxLength)
  lessons?: string | null;

  @Field(() => Date, { nullable: true, description: 'Default now.' })
  @IsOptional()
  @IsInstant()
  occurredAt?: Date | null;
}

@InputType('AssignOwnerInput')
export class AssignOwnerInput {
  @Field(() => ID)
  @IsString()
  @Matches(LIMITS.accountIdPattern, ACCOUNT_ID_RULE)
  accountId!: string;

  @Field(() => String)
  @IsString()
  @Length(1, LIMITS.personIdMaxLength)
  ownerId!: string;
}

@InputType('SetCadenceInput')
export class SetCadenceInput {
  @Field(() => ID)
  @IsString()
  @Matches(LIMITS.accountIdPattern, ACCOUNT_ID_RULE)
  accountId!: string;

  @Field(() => Int, { nullable: true, description: 'null goes back to the tier default' })
  @IsOptional()
  @IsInt()
  @Min(LIMITS.cadenceMinDays)
  @Max(LIMITS.cadenceMaxDays)
  cadenceDays?: number | null;
}

@InputType({ isAbstract: true })
abstract class CommitmentOperationInput {
  @Field(() => ID)
  @IsString()
  @Matches(LIMITS.accountIdPattern, ACCOUNT_ID_RULE)
  accountId!: string;

  @Field(() => ID)
  @IsString()
  @Length(1, LIMITS.itemIdMaxLength)
  commitmentId!: string;
}

@InputType('FulfilCommitmentInput')
export class FulfilCommitmentInput extends CommitmentOperationInput {
  @Field(() => Date, { nullable: true, description: 'Default now.' })
  @IsOptional()
  @IsInstant()
  fulfilledAt?: Date | null;
}

@InputType('RenegotiateCommitmentInput')
export class RenegotiateCommitmentInput extends CommitmentOperationInput {
  @Field(() => Date)
  @IsInstant()
  newDueAt!: Date;

  @Field(() => String)
  @IsString()
  @Length(1, LIMITS.reasonMaxLength)
  reason!: string;
}

@InputType('CancelCommitmentInput')
export class CancelCommitmentInput extends CommitmentOperationInput {
  @Field(() => String)
  @IsString()
  @Length(1, LIMITS.reasonMaxLength)
  reason!: string;
}
