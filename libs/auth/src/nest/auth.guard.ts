import {
  HttpException,
  HttpStatus,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { ForbiddenError, UnauthenticatedError } from '../auth.errors.js';
import { Authenticator } from '../authenticator.js';
import type { Action } from '../permissions.js';

import { IS_PUBLIC, REQUIRED_ACTION } from './auth.decorators.js';
import { principalOf, requestOf, setPrincipal } from './request-principal.js';

/**
 * Authenticates every request to a route not marked `@Public()`, and checks the route's
 * `@RequireAction(...)`. Register it globally (`APP_GUARD`). Contexts without an HTTP request
 * (e.g. WebSocket) are refused: those entry points authenticate with {@link Authenticator}
 * when the connection opens.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    try {
      const request = requestOf(context);
      if (request === undefined) throw new UnauthenticatedError('Credentials are required', 'missing');
      const principal = principalOf(request) ?? (await this.authenticator.authenticate(request.headers));
      setPrincipal(request, principal);
      const action = this.reflector.getAllAndOverride<Action | undefined>(REQUIRED_ACTION, targets);
      if (action !== undefined) this.authenticator.authorize(principal, action);
      return true;
    } catch (error) {
      throw toHttpException(error, context);
    }
  }
}

/** The one place auth errors become HTTP answers: 401 with a Bearer challenge, or 403. */
export function toHttpException(error: unknown, context: ExecutionContext): unknown {
  if (error instanceof UnauthenticatedError) {
    if (context.getType() === 'http') {
      const reply = context
        .switchToHttp()
        .getResponse<{ header?: (name: string, value: string) => unknown }>();
      const challenge = error.reason === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"';
      reply.header?.('WWW-Authenticate', challenge);
    }
    return new HttpException(
      { statusCode: HttpStatus.UNAUTHORIZED, code: error.code, message: error.message },
      HttpStatus.UNAUTHORIZED,
    );
  }
  if (error instanceof ForbiddenError) {
    return new HttpException(
      { statusCode: HttpStatus.FORBIDDEN, code: error.code, message: error.message },
      HttpStatus.FORBIDDEN,
    );
  }
  return error;
}
