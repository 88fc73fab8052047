import { Global, Module } from '@nestjs/common';

import { Metrics } from './metrics.js';

/**
 * The process's {@link Metrics} (global): libraries take it as an optional dependency, so a
 * module built without this one (a test, a tool) simply records nothing.
 */
@Global()
@Module({
  providers: [{ provide: Metrics, useFactory: () => new Metrics() }],
  exports: [Metrics],
})
export class MetricsModule {}
