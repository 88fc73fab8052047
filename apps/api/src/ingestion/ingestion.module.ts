import { Module } from '@nestjs/common';

import { AccountCommandsModule } from '#account-commands';

import { IngestionController } from './ingestion.controller.js';

@Module({
  imports: [AccountCommandsModule],
  controllers: [IngestionController],
})
export class IngestionModule {}
