import { Module, type DynamicModule } from '@nestjs/common';

import { AlertCommandsModule } from '#alert-commands';

import { HealthMonitor } from './health-monitor.js';
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
      imports: [AlertCommandsModule],
      providers: [{ provide: DEADLINE_MONITOR_OPTIONS, useValue: options }, DeadlineMonitor, HealthMonitor],
      exports: [DeadlineMonitor, HealthMonitor],
    };
  }
}
