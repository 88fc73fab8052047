import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';

import {
  CancelCommitmentCommand,
  ChangeStageCommand,
  FulfilCommitmentCommand,
  MakeCommitmentsCommand,
  OpenAccountCommand,
  RecordTouchpointsCommand,
  RenegotiateCommitmentCommand,
  isRejected,
  type AccountCommandsResult,
  type CommandContext,
} from '#account-commands';
import { CurrentPrincipal, RequireAction, type Principal } from '#auth';
import type { MakeCommitment, OpenAccount, RecordTouchpoint } from '#lifecycle';

import { commandContextOf } from '../http/command-context.factory.js';
import { itemErrorException } from '../http/error-statuses.js';
import { ingestBatch } from './batch-ingestion.js';
import { AccountBatchDto, CommitmentBatchDto, TouchpointBatchDto } from './dto/batches.dto.js';
import { MakeCommitmentInputDto } from './dto/make-commitment-input.dto.js';
import { OpenAccountInputDto } from './dto/open-account-input.dto.js';
import {
  CancelCommitmentDto,
  ChangeStageDto,
  FulfilCommitmentDto,
  RenegotiateCommitmentDto,
} from './dto/operations.dto.js';
import { BatchResultsDto, OperationResultDto } from './dto/results.dto.js';
import { TouchpointInputDto } from './dto/touchpoint-input.dto.js';

type Headers = Record<string, string | string[] | undefined>;

/**
 * Ingestion for integrations: batches of 1–1,000 items with a result per item, and the
 * single operations on stages and commitments. Answers once accepted items are durable in the
 * event store (it does not wait for read models).
 */
@ApiTags('ingestion')
@ApiBearerAuth()
@ApiSecurity('api-key')
@RequireAction('ingest')
@Controller('v1')
export class IngestionController {
  constructor(private readonly commands: CommandBus) {}

  @Post('accounts')
  @HttpCode(200)
  @ApiOperation({ summary: 'Open accounts (idempotent by id)' })
  @ApiOkResponse({ type: BatchResultsDto })
  async openAccounts(
    @Body() body: AccountBatchDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { headers: Headers },
  ) {
    const context = commandContextOf(principal, req);
    return {
      results: await ingestBatch(body.accounts, {
        dto: OpenAccountInputDto,
        toData: (item) => item as unknown as OpenAccount['data'],
        accountOf: (data) => data.id,
        keyOf: (data) => ({ id: data.id }),
        // Each account is its own stream: one command per item.
        dispatch: async (_accountId, items) => {
          const results = [];
          for (const data of items)
            results.push(...(await this.run(new OpenAccountCommand(data, context))).results);
          return { results, state: null, revision: -1n };
        },
      }),
    };
  }

  @Post('touchpoints')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record touchpoints (idempotent by touchpointId)' })
  @ApiOkResponse({ type: BatchResultsDto })
  async recordTouchpoints(
    @Body() body: TouchpointBatchDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { headers: Headers },
  ) {
    const context = commandContextOf(principal, req);
    return {
      results: await ingestBatch(body.touchpoints, {
        dto: TouchpointInputDto,
        toData: (item) =>
          ({ ...item, touchpointId: item.touchpointId ?? randomUUID() }) as RecordTouchpoint['data'],
        accountOf: (data) => data.accountId,
        keyOf: (data) => ({ touchpointId: data.touchpointId }),
        dispatch: (accountId, items) => this.run(new RecordTouchpointsCommand(accountId, items, context)),
      }),
    };
  }

  @Post('commitments')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record commitments made to customers (idempotent by commitmentId)' })
  @ApiOkResponse({ type: BatchResultsDto })
  async makeCommitments(
    @Body() body: CommitmentBatchDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { headers: Headers },
  ) {
    const context = commandContextOf(principal, req);
    return {
      results: await ingestBatch(body.commitments, {
        dto: MakeCommitmentInputDto,
        toData: (item) =>
          ({ ...item, commitmentId: item.commitmentId ?? randomUUID() }) as MakeCommitment['data'],
        accountOf: (data) => data.accountId,
        keyOf: (data) => ({ commitmentId: data.commitmentId }),
        dispatch: (accountId, items) => this.run(new MakeCommitmentsCommand(accountId, items, context)),
      }),
    };
  }

  @Post('accounts/:accountId/stage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move an account to another lifecycle stage' })
  @ApiOkResponse({ type: OperationResultDto })
  changeStage(
    @Param('accountId') accountId: string,
    @Body() body: ChangeStageDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { headers: Headers },
  ) {
    return this.single(
      accountId,
      new ChangeStageCommand({ accountId, ...body } as never, this.context(principal, req)),
    );
  }

  @Post('accounts/:accountId/commitments/:commitmentId/fulfil')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a commitment fulfilled' })
  @ApiOkResponse({ type: OperationResultDto })
  fulfil(
    @Param('accountId') accountId: string,
    @Param('commitmentId') commitmentId: string,
    @Body() body: FulfilCommitmentDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { headers: Headers },
  ) {
    const data = { accountId, commitmentId, ...body };
    return this.single(accountId, new FulfilCommitmentCommand(data, this.context(principal, req)));
  }

  @Post('accounts/:accountId/commitments/:commitmentId/renegotiate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Agree a new due date for a commitment' })
  @ApiOkResponse({ type: OperationResultDto })
  renegotiate(
    @Param('accountId') accountId: string,
    @Param('commitmentId') commitmentId: string,
    @Body() body: RenegotiateCommitmentDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { headers: Headers },
  ) {
    const data = { accountId, commitmentId, ...body };
    return this.single(accountId, new RenegotiateCommitmentCommand(data, this.context(principal, req)));
  }

  @Post('accounts/:accountId/commitments/:commitmentId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a commitment' })
  @ApiOkResponse({ type: OperationResultDto })
  cancel(
    @Param('accountId') accountId: string,
    @Param('commitmentId') commitmentId: string,
    @Body() body: CancelCommitmentDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { headers: Headers },
  ) {
    const data = { accountId, commitmentId, ...body };
    return this.single(accountId, new CancelCommitmentCommand(data, this.context(principal, req)));
  }

  private context(principal: Principal, req: { headers: Headers }): CommandContext {
    return commandContextOf(principal, req);
  }

  private run(command: Parameters<CommandBus['execute']>[0]): Promise<AccountCommandsResult> {
    return this.commands.execute(command) as Promise<AccountCommandsResult>;
  }

  private async single(accountId: string, command: Parameters<CommandBus['execute']>[0]) {
    const { results, revision } = await this.run(command);
    const [result] = results;
    if (isRejected(result)) throw itemErrorException(result.error);
    return { accountId, status: result.status, revision: revision.toString() };
  }
}
