import type { ExecutionContext } from '@nestjs/common';

import type { Principal } from '../principal.js';
import type { CredentialCarrier } from '../presented-credential.js';

/** What the guard needs of a request: its headers. */
export interface CredentialRequest {
  readonly headers: CredentialCarrier;
}

// Kept beside the request rather than on it: nothing to declare on Fastify's types, and
// nothing that can be set from outside.
const principals = new WeakMap<object, Principal>();

/**
 * The request of an HTTP handler, or of a GraphQL resolver served over HTTP (its context
 * object is expected to hold `req`); `undefined` for anything else.
 */
export function requestOf(context: ExecutionContext): CredentialRequest | undefined {
  const type = context.getType<string>();
  const candidate: unknown =
    type === 'http'
      ? context.switchToHttp().getRequest()
      : type === 'graphql'
        ? (context.getArgs()[2] as { req?: unknown } | undefined)?.req
        : undefined;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const headers = (candidate as { headers?: unknown }).headers;
  return typeof headers === 'object' && headers !== null ? (candidate as CredentialRequest) : undefined;
}

export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}

export function setPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}
