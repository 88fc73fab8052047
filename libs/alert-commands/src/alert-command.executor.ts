import { Injectable, Optional } from '@nestjs/common';

import { AccountCommandExecutor, Clock, type CommandContext } from '#account-commands';
import {
  AlertError,
  alertStreamName,
  decideAlert,
  evolveAlert,
  type AlertCommand,
  type AlertEvent,
  type AlertOutcome,
  type AlertState,
} from '#alerts';
import { StreamCommandHandler, type Decider, type HandledReport } from '#command-handling';
import { EventStore } from '#eventstore';
import { Metrics } from '#metrics';

import { AlertAccessDeniedError, assertMayChangeAlert, managesEveryAlert } from './alert-access.js';

interface TimedAlertCommand {
  readonly command: AlertCommand;
  readonly now: Date;
}

export interface AlertCommandResult {
  /** `created` when it wrote events; `duplicate` for a raise of an alert that exists; `unchanged` otherwise. */
  readonly outcome: AlertOutcome;
  /** The alert after the command (null when it does not exist). */
  readonly state: AlertState;
  readonly revision: bigint;
  /** Position in `$all` of the last event written; undefined when nothing was written. */
  readonly commitPosition?: bigint;
}

/**
 * Runs commands against one alert's stream, `alert-<id>`: the pure rules of #alerts on the
 * cached state with the expected revision of {@link StreamCommandHandler}. An alert's id is
 * deterministic, so a raise whose stream exists (found in the cache, or by the expected revision
 * when another process wrote it first) is a duplicate: every alert is raised once, whoever
 * raises it and however often. Used by the alert policy, the deadline monitor (as the system)
 * and people (acknowledge, resolve), whose access is checked here.
 */
@Injectable()
export class AlertCommandExecutor {
  private readonly handler: StreamCommandHandler<AlertState, TimedAlertCommand, AlertEvent, AlertOutcome>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
    private readonly accounts: AccountCommandExecutor,
    @Optional() private readonly metrics?: Metrics,
  ) {
    const decider: Decider<AlertState, TimedAlertCommand, AlertEvent, AlertOutcome> = {
      initialState: null,
      evolve: evolveAlert,
      decide: ({ command, now }, state) => decideAlert(command, state, now),
      isRejection: (error) => error instanceof AlertError,
    };
    this.handler = new StreamCommandHandler(store, decider, {
      onHandled: metrics && ((report) => recordHandled(metrics, report)),
    });
  }

  /** Decides and appends one command; a refusal throws (AlertError, or AlertAccessDeniedError). */
  async execute(command: AlertCommand, context: CommandContext): Promise<AlertCommandResult> {
    const stream = alertStreamName(command.data.alertId);
    if (!managesEveryAlert(context.principal)) {
      // Whose alert it is decides what an account manager may do with it.
      const { state } = await this.handler.load(stream);
      const ownerId =
        state === null ? null : ((await this.accounts.load(state.accountId)).state?.ownerId ?? null);
      try {
        assertMayChangeAlert(command, context.principal, ownerId);
      } catch (error) {
        if (error instanceof AlertAccessDeniedError) this.metrics?.recordCommand(command.type, 'rejected');
        throw error;
      }
    }
    const handled = await this.handler.handle(stream, [{ command, now: this.clock.now() }], {
      principal: context.principal.id,
      correlationId: context.correlationId,
      causationId: context.causationId,
    });
    const [result] = handled.results;
    if (!result.ok) throw result.error;
    return {
      outcome: result.outcome,
      state: handled.state,
      revision: handled.revision,
      commitPosition: handled.position?.commit,
    };
  }

  /** The alert as last written (from the cache when warm); null when it does not exist. */
  async load(alertId: string): Promise<{ state: AlertState; revision: bigint }> {
    return this.handler.load(alertStreamName(alertId));
  }
}

function recordHandled(
  metrics: Metrics,
  { commands, results, appended }: HandledReport<TimedAlertCommand, AlertEvent, AlertOutcome>,
): void {
  commands.forEach(({ command }, i) => {
    const result = results?.[i];
    metrics.recordCommand(
      command.type,
      result === undefined ? 'failed' : result.ok ? result.outcome : 'rejected',
    );
    // A raise of an alert that exists is a duplicate: each alert counts once, whoever raised it first.
    if (command.type === 'RaiseAlert' && result?.ok && result.outcome === 'created')
      metrics.recordAlertRaised(command.data.kind);
  });
  metrics.recordEventsAppended(appended.map((event) => event.type));
}
