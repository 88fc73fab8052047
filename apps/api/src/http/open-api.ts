import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI description at /docs (and its JSON at /docs/json), open without credentials. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Customer lifecycle API')
    .setDescription(
      'Ingestion for integrations: accounts, touchpoints and commitments in idempotent batches with a result ' +
        'per item, and the operations on stages and commitments. Credentials: `Authorization: Bearer <key or JWT>` ' +
        'or `X-Api-Key: <key>`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
