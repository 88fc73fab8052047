import { Logger } from '@nestjs/common';

import { SYSTEM_PRINCIPAL, type CommandContext } from '#account-commands';
import type { AlertCommandResult } from '#alert-commands';
import {
  ALERT_STREAM_PREFIX,
  AlertError,
  alertCommandsFor,
  staleAlertResolution,
  type AlertCommand,
  type AlertEvent,
} from '#alerts';
import { comparePositions, type AllStreamDomainEvent, type Position } from '#eventstore';
import { ACCOUNT_EVENT_TYPES, type AccountEvent } from '#lifecycle';
import {
  ACCOUNT_STREAM_PREFIX,
  loadProjectionCheckpoint,
  lockProjection,
  storeProjectionCheckpoint,
  type CheckpointedHandler,
  type ReadModelDb,
} from '#read-model';

import { AlertPolicyState } from './alert-policy-state.js';

export const ALERT_POLICY_NAME = 'alert-policy';

/** What the policy needs of the alert write side. */
export interface AlertCommandSink {
  execute(command: AlertCommand, context: CommandContext): Promise<AlertCommandResult>;
}

const ACCOUNT_TYPES: ReadonlySet<string> = new Set(ACCOUNT_EVENT_TYPES);

/**
 * The alert policy as a checkpointed projection: for each account event, the commands
 * `alertCommandsFor` calls for, executed against the alert streams, then the policy's state and
 * checkpoint stored in one transaction. The appends come first: a crash before the commit makes
 * the batch run again, and its raises (deterministic ids) and automatic resolutions (of resolved
 * alerts) change nothing the second time. The projection's lock keeps two instances of the
 * service from deciding the same batch at once; the second finds the first one's checkpoint.
 *
 * It also reads the alert streams, so that it knows of the alerts others raised (the deadline
 * monitor's) or resolved (people), and resolves or leaves them alone accordingly.
 */
export class AlertPolicy implements CheckpointedHandler {
  readonly name = ALERT_POLICY_NAME;
  readonly streamNamePrefixes = [ACCOUNT_STREAM_PREFIX, ALERT_STREAM_PREFIX];
  private readonly logger = new Logger('AlertPolicy');

  constructor(private readonly alerts: AlertCommandSink) {}

  async loadCheckpoint(db: ReadModelDb): Promise<Position | undefined> {
    return (await loadProjectionCheckpoint(db, this.name))?.position;
  }

  async applyBatch(
    db: ReadModelDb,
    events: readonly AllStreamDomainEvent[],
    checkpoint: Position,
  ): Promise<number> {
    if (events.length === 0) return 0;
    return db.transaction(async (tx) => {
      await lockProjection(tx, this.name);
      const stored = await loadProjectionCheckpoint(tx, this.name);
      const fresh = events.filter(
        (event) => stored === undefined || comparePositions(event.position, stored.position) > 0,
      );
      if (fresh.length === 0) return 0;
      const state = new AlertPolicyState(tx);
      await state.prefetch(
        fresh
          .filter(
            (event) => ACCOUNT_TYPES.has(event.type) && !event.streamName.startsWith(ALERT_STREAM_PREFIX),
          )
          .map((event) => (event.data as { accountId: string }).accountId),
      );
      let applied = 0;
      for (const event of fresh) {
        if (event.streamName.startsWith(ALERT_STREAM_PREFIX)) {
          const alertEvent = { type: event.type, data: event.data } as unknown as AlertEvent;
          await state.noteAlertEvent(alertEvent);
          if (alertEvent.type === 'AlertRaised') await this.resolveIfStale(state, alertEvent, event);
          applied += 1;
        } else if (ACCOUNT_TYPES.has(event.type)) {
          await this.react(state, event);
          applied += 1;
        }
      }
      await storeProjectionCheckpoint(tx, this.name, checkpoint, applied, fresh[fresh.length - 1].created);
      return applied;
    });
  }

  /** A due-soon alert the monitor raised after the policy saw its commitment move on. */
  private async resolveIfStale(
    state: AlertPolicyState,
    raised: Extract<AlertEvent, { type: 'AlertRaised' }>,
    recorded: AllStreamDomainEvent,
  ): Promise<void> {
    const { accountId, subject } = raised.data;
    if (raised.data.kind !== 'COMMITMENT_DUE_SOON' || subject === null) return;
    const resolution = staleAlertResolution(
      raised.data,
      await state.standingOf(accountId, subject),
      recorded.id,
    );
    if (resolution === undefined) return;
    await this.execute(state, resolution, recorded, raised.data.occurredAt);
  }

  private async execute(
    state: AlertPolicyState,
    command: AlertCommand,
    recorded: AllStreamDomainEvent,
    since: string,
  ): Promise<void> {
    const context: CommandContext = {
      principal: SYSTEM_PRINCIPAL,
      correlationId: recorded.metadata.correlationId,
      causationId: recorded.id,
    };
    try {
      await this.alerts.execute(command, context);
    } catch (error) {
      // A refusal is the same on every retry: holding the policy up for it would stop every alert.
      if (!(error instanceof AlertError)) throw error;
      this.logger.warn({ msg: 'The alert policy’s command was refused', eventId: recorded.id, err: error });
    }
    await state.noteCommand(command, since);
  }

  private async react(state: AlertPolicyState, recorded: AllStreamDomainEvent): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as unknown as AccountEvent;
    await state.noteAccountFacts(event);
    const { accountId } = event.data;
    const tier = await state.tierOf(accountId);
    if (tier === undefined) {
      this.logger.warn({
        msg: 'An account event before its AccountOpened; no alerts for it',
        eventId: recorded.id,
      });
      return;
    }
    const commitmentId = 'commitmentId' in event.data ? event.data.commitmentId : undefined;
    const title = commitmentId === undefined ? undefined : await state.titleOf(accountId, commitmentId);
    const commands = alertCommandsFor(event, {
      eventId: recorded.id,
      tier,
      openAlerts: await state.openAlerts(accountId),
      commitmentTitle: (id) => (id === commitmentId ? title : undefined),
    });
    for (const command of commands) await this.execute(state, command, recorded, event.data.occurredAt);
  }
}
