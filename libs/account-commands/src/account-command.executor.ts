import { Injectable, Logger, Optional } from '@nestjs/common';

import { StreamCommandHandler, type Decider, type HandledReport } from '#command-handling';
import { EventStore } from '#eventstore';
import { Metrics } from '#metrics';
import {
  ACCOUNT_STATE_VERSION,
  DomainError,
  PUBLIC_ERROR_CODE,
  accountDecider,
  accountStreamName,
  isDomainError,
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  type DecisionOutcome,
} from '#lifecycle';

import { AccountAccessDeniedError } from './account-access.error.js';
import { assertMayWrite } from './account-access.policy.js';
import { Clock } from './clock.js';
import type { CommandContext } from './command-context.js';
import { rejected, type ItemError, type ItemResult } from './item-result.js';

/** A lifecycle command with the moment it is decided at and who sends it. */
interface TimedCommand {
  readonly command: AccountCommand;
  readonly now: Date;
  readonly context: CommandContext;
}

export interface AccountCommandsResult {
  /** One per command, in order. */
  readonly results: readonly ItemResult[];
  /** The account after the commands (null when it was never opened). */
  readonly state: AccountState;
  readonly revision: bigint;
  /** Position in `$all` of the last event written; undefined when nothing was written. */
  readonly commitPosition?: bigint;
}

/** Snapshot the account state every this many events, so loading a long-lived account stays cheap. */
const SNAPSHOT_EVERY = 500;

/**
 * Runs lifecycle commands against one account's stream: the pure decider, access rules for the
 * principal, the clock, and the cached/snapshotted state with optimistic concurrency of
 * {@link StreamCommandHandler}.
 */
@Injectable()
export class AccountCommandExecutor {
  private readonly logger = new Logger('AccountCommands');
  private readonly handler: StreamCommandHandler<AccountState, TimedCommand, AccountEvent, DecisionOutcome>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
    @Optional() metrics?: Metrics,
  ) {
    const decider: Decider<AccountState, TimedCommand, AccountEvent, DecisionOutcome> = {
      initialState: accountDecider.initialState,
      evolve: accountDecider.evolve,
      decide: ({ command, now, context }, state) => {
        assertMayWrite(command, state, context.principal);
        return accountDecider.decide(command, state, { now });
      },
      isRejection: (error) => isDomainError(error) || error instanceof AccountAccessDeniedError,
    };
    this.handler = new StreamCommandHandler(store, decider, {
      snapshots: {
        every: SNAPSHOT_EVERY,
        stateVersion: ACCOUNT_STATE_VERSION,
        toJson: (state) => state as never,
        fromJson: (json) => json as unknown as AccountState,
      },
      onBackgroundError: (error) => this.logger.warn({ msg: 'account snapshot not written', error }),
      onHandled: metrics && ((report) => recordHandled(metrics, report)),
    });
  }

  /** Decides the commands in order on one account and appends all their events in one write. */
  async execute(
    accountId: string,
    commands: readonly AccountCommand[],
    context: CommandContext,
  ): Promise<AccountCommandsResult> {
    const now = this.clock.now();
    const handled = await this.handler.handle(
      accountStreamName(accountId),
      commands.map((command) => ({ command, now, context })),
      {
        principal: context.principal.id,
        correlationId: context.correlationId,
        causationId: context.causationId,
      },
    );
    return {
      results: handled.results.map((r) => (r.ok ? { status: r.outcome } : rejected(toItemError(r.error)))),
      state: handled.state,
      revision: handled.revision,
      commitPosition: handled.position?.commit,
    };
  }

  /** The account as last written (from the cache when warm). */
  async load(accountId: string): Promise<{ state: AccountState; revision: bigint }> {
    return this.handler.load(accountStreamName(accountId));
  }
}

function recordHandled(
  metrics: Metrics,
  { commands, results, appended }: HandledReport<TimedCommand, AccountEvent, DecisionOutcome>,
): void {
  commands.forEach(({ command }, i) => {
    const result = results?.[i];
    metrics.recordCommand(
      command.type,
      result === undefined ? 'failed' : result.ok ? result.outcome : 'rejected',
    );
  });
  metrics.recordEventsAppended(appended.map((event) => event.type));
}

export function toItemError(error: unknown): ItemError {
  if (error instanceof DomainError) {
    const first = error.fields[0];
    return {
      code: error.code,
      publicCode: PUBLIC_ERROR_CODE[error.code],
      message: error.message,
      ...(first ? { field: first.path, fields: error.fields } : {}),
    };
  }
  if (error instanceof AccountAccessDeniedError) {
    return { code: 'FORBIDDEN', publicCode: 'FORBIDDEN', message: error.message };
  }
  throw error;
}
