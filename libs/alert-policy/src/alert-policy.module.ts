import { Module, type DynamicModule } from '@nestjs/common';

import { AlertCommandExecutor, AlertCommandsModule } from '#alert-commands';

import { AlertPolicy } from './alert-policy.js';
import {
  ALERT_POLICY_RUNNER_OPTIONS,
  AlertPolicyRunner,
  type AlertPolicyRunnerOptions,
} from './alert-policy.runner.js';

/** The alert policy (worker role). Needs the config, event store and read model modules. */
@Module({})
export class AlertPolicyModule {
  static forRoot(options: AlertPolicyRunnerOptions = {}): DynamicModule {
    return {
      module: AlertPolicyModule,
      imports: [AlertCommandsModule],
      providers: [
        { provide: ALERT_POLICY_RUNNER_OPTIONS, useValue: options },
        {
          provide: AlertPolicy,
          inject: [AlertCommandExecutor],
          useFactory: (executor: AlertCommandExecutor) => new AlertPolicy(executor),
        },
        AlertPolicyRunner,
      ],
      exports: [AlertPolicyRunner, AlertPolicy],
    };
  }
}
