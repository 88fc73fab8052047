import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { EventStore, type Position } from '#eventstore';

import { ReadModelDatabase } from '../../database/read-model-database.js';
import { CheckpointedSubscriber } from '../checkpointed-subscriber.js';
import { AlertsProjection } from './alerts-projection.js';

export interface AlertsProjectorOptions {
  /** Start the subscription when the application starts; default true. */
  readonly autoStart?: boolean;
  readonly batchSize?: number;
  readonly maxWaitMs?: number;
}

export const ALERTS_PROJECTOR_OPTIONS = Symbol('ALERTS_PROJECTOR_OPTIONS');

/** Keeps the alerts tables current from the `alert-` streams (see {@link AlertsProjection}). */
@Injectable()
export class AlertsProjector implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly subscriber: CheckpointedSubscriber;

  constructor(
    database: ReadModelDatabase,
    eventStore: EventStore,
    projection: AlertsProjection,
    @Inject(ALERTS_PROJECTOR_OPTIONS) private readonly options: AlertsProjectorOptions,
  ) {
    this.subscriber = new CheckpointedSubscriber(database, eventStore, projection, options);
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

  /** True once the alerts tables show every alert event at or before `commitPosition`; false after `timeoutMs`. */
  waitFor(commitPosition: Position | bigint, timeoutMs: number): Promise<boolean> {
    return this.subscriber.waitFor(commitPosition, timeoutMs);
  }

  /** Calls `listener` after each stored batch (what the live notifications follow). */
  onBatchApplied(listener: (applied: number, position: Position) => void): () => void {
    return this.subscriber.onBatchApplied(listener);
  }
}
