import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { EventStore, type Position } from '#eventstore';
import { CheckpointedSubscriber, ReadModelDatabase } from '#read-model';

import { AlertPolicy } from './alert-policy.js';

export interface AlertPolicyRunnerOptions {
  /** Start when the application starts; default true. */
  readonly autoStart?: boolean;
  /** Most events per batch (one transaction, held while the batch's alerts are appended); default 100. */
  readonly batchSize?: number;
  readonly maxWaitMs?: number;
}

export const ALERT_POLICY_RUNNER_OPTIONS = Symbol('ALERT_POLICY_RUNNER_OPTIONS');

/** Runs the {@link AlertPolicy} from a checkpointed subscription to the account and alert streams. */
@Injectable()
export class AlertPolicyRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly subscriber: CheckpointedSubscriber;

  constructor(
    database: ReadModelDatabase,
    eventStore: EventStore,
    policy: AlertPolicy,
    @Inject(ALERT_POLICY_RUNNER_OPTIONS) private readonly options: AlertPolicyRunnerOptions,
  ) {
    this.subscriber = new CheckpointedSubscriber(database, eventStore, policy, {
      batchSize: options.batchSize ?? 100,
      ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    });
  }

  get position(): Position | undefined {
    return this.subscriber.position;
  }

  get running(): boolean {
    return this.subscriber.running;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.autoStart ?? true) await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): Promise<void> {
    return this.subscriber.start();
  }

  stop(): Promise<void> {
    return this.subscriber.stop();
  }

  /** True once the policy has reacted to every event at or before `commitPosition`; false after `timeoutMs`. */
  waitFor(commitPosition: Position | bigint, timeoutMs: number): Promise<boolean> {
    return this.subscriber.waitFor(commitPosition, timeoutMs);
  }
}
