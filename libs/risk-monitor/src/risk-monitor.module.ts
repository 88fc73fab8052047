import { Module, type DynamicModule } from '@nestjs/common';

import { AccountCommandsModule } from '#account-commands';

import {
  DEADLINE_MONITOR_OPTIONS,
  DeadlineMonitor,
  type DeadlineMonitorOptions,
} from './deadline-monitor.js';

/** The deadline monitor (worker role). Needs the config, event store and read model modules. */
@Module({})
export class RiskMonitorModule {
  static forRoot(options: DeadlineMonitorOptions = {}): DynamicModule {
    return {
      module: RiskMonitorModule,
      imports: [AccountCommandsModule],
      providers: [{ provide: DEADLINE_MONITOR_OPTIONS, useValue: options }, DeadlineMonitor],
      exports: [DeadlineMonitor],
    };
  }
}
