import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { AlertPolicyRunner } from '#alert-policy';
import { AlertWebhookDelivery } from '#alert-webhooks';
import { AccountProjector, AlertsProjector } from '#read-model';
import { DeadlineMonitor } from '#risk-monitor';
import { WorkerLeadership } from '#worker-lease';

/**
 * The worker role: the account and alerts projectors, the alert policy, the deadline and health
 * monitor and webhook delivery, run only while this process leads (see WorkerLeadership). Their
 * own modules are registered with `autoStart: false`; this starts them on taking the lead and
 * stops them on losing it.
 *
 * Part of the root module, whose hooks run after every other module's at start and before them
 * at shutdown: the components are in place when it starts contending, and it stops them (and
 * frees the lock) before their modules go.
 */
@Injectable()
export class WorkerRole implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly leadership: WorkerLeadership,
    private readonly accountProjector: AccountProjector,
    private readonly alertsProjector: AlertsProjector,
    private readonly alertPolicy: AlertPolicyRunner,
    private readonly deadlineMonitor: DeadlineMonitor,
    private readonly webhooks: AlertWebhookDelivery,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.leadership.start({ acquired: () => this.startAll(), lost: () => this.stopAll() });
  }

  async onModuleDestroy(): Promise<void> {
    await this.leadership.stop();
  }

  private async startAll(): Promise<void> {
    await this.accountProjector.start();
    await this.alertsProjector.start();
    await this.alertPolicy.start();
    this.deadlineMonitor.start();
    this.webhooks.start();
  }

  /** In reverse: what follows the read model stops before the projectors do. */
  private async stopAll(): Promise<void> {
    await this.webhooks.stop();
    await this.deadlineMonitor.stop();
    await this.alertPolicy.stop();
    await this.alertsProjector.stop();
    await this.accountProjector.stop();
  }
}
