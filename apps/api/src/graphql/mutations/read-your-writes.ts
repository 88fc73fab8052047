import { ForbiddenException, HttpException, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';

import {
  isRejected,
  type AccountCommandsResult,
  type CommandContext,
  type ItemError,
} from '#account-commands';
import { can, principalOf, type Principal } from '#auth';
import { AccountProjector } from '#read-model';

import { commandContextOf } from '../../http/command-context.factory.js';
import { httpStatusOf } from '../../http/error-statuses.js';
import type { GraphQLContext } from '../graphql-context.js';

/** How long a mutation waits for the read model to show its effect (docs/api: 5 s). */
export const READ_YOUR_WRITES_TIMEOUT_MS = 5_000;

/** What a written mutation knows afterwards: whether its answer can come from the read model. */
export interface Written {
  readonly result: AccountCommandsResult;
  /** True when the read model shows every event the command wrote (or it wrote none). */
  readonly projected: boolean;
}

/**
 * Runs a mutation's command and waits, within a bound, until the read model has applied what it
 * wrote, so the answer (and any query the client sends next) shows the write. When the wait runs
 * out the answer still comes, built from the account's stream instead, and the response says so
 * in `extensions.readModelLag`.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    private readonly commands: CommandBus,
    private readonly projector: AccountProjector,
  ) {}

  /** The caller, who must be allowed to write (integrations, account managers, admins). */
  writer(context: GraphQLContext): Principal {
    const principal = principalOf(context.req);
    if (!principal || !(can(principal, 'ingest') || can(principal, 'account:write'))) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: 'Writing accounts needs the integration, account_manager or admin role',
      });
    }
    return principal;
  }

  commandContext(principal: Principal, context: GraphQLContext): CommandContext {
    return commandContextOf(principal, context.req);
  }

  /** Runs a command without waiting for the read model (refused items are in its results). */
  async execute(command: object): Promise<AccountCommandsResult> {
    return (await this.commands.execute(command as never)) as AccountCommandsResult;
  }

  /** Runs one command, then waits for the read model; a refusal becomes the GraphQL error with the contract's code. */
  async single(command: object, context: GraphQLContext, accountId: string): Promise<Written> {
    const result = await this.execute(command);
    const [outcome] = result.results;
    if (isRejected(outcome)) throw refusal(outcome.error);
    const projected = await this.settle(result.commitPosition, context);
    // Later resolvers of this request read the account afresh.
    context.loaders.forget(accountId);
    return { result, projected };
  }

  /** Waits for the read model to reach `commitPosition`; false (and noted) when it did not in time. */
  async settle(commitPosition: bigint | undefined, context: GraphQLContext): Promise<boolean> {
    if (commitPosition === undefined) return true;
    const started = Date.now();
    if (await this.projector.waitFor(commitPosition, READ_YOUR_WRITES_TIMEOUT_MS)) return true;
    context.readModelLag = {
      message:
        'The read model did not show this write within the wait; the answer was read from the event store',
      waitedMs: Date.now() - started,
      position: commitPosition.toString(),
    };
    return false;
  }
}

/** A refused command as the error GraphQL answers: the contract's code, every bad field. */
export function refusal(error: ItemError): HttpException {
  const statusCode = httpStatusOf(error.code);
  return new HttpException(
    {
      statusCode,
      code: error.publicCode,
      message: error.message,
      ...(error.fields
        ? { fields: error.fields }
        : error.field
          ? { fields: [{ path: error.field, message: error.message }] }
          : {}),
    },
    statusCode,
  );
}
