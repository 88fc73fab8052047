import { createHash, timingSafeEqual } from 'node:crypto';

import { Controller, Get, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Public } from '#auth';
import { AppConfig } from '#config';
import { Metrics } from '#metrics';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * GET /metrics in the Prometheus text format. Open when METRICS_TOKEN is unset (the port must
 * then be reachable from the internal network only); otherwise it asks for
 * `Authorization: Bearer <METRICS_TOKEN>`. Not an API key of AUTH_API_KEYS: a scraper needs no role.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly tokenDigest: Buffer | undefined;

  constructor(
    private readonly metrics: Metrics,
    config: AppConfig,
  ) {
    this.tokenDigest = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!this.authorized(request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException({
        code: 'UNAUTHENTICATED',
        message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
      });
    }
    const text = await this.metrics.exposition();
    await reply
      .header('content-type', this.metrics.contentType)
      .header('cache-control', 'no-store')
      .send(text);
  }

  private authorized(authorization: string | undefined): boolean {
    if (this.tokenDigest === undefined) return true;
    const presented = authorization === undefined ? null : BEARER.exec(authorization);
    // Digests of equal length: the comparison takes as long whatever the caller sent.
    return presented !== null && timingSafeEqual(digest(presented[1]!), this.tokenDigest);
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
