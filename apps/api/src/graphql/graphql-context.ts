import { ForbiddenException } from '@nestjs/common';

import { can, principalOf, type Principal } from '#auth';

import type { AlertLoaders } from './loaders/alert-loaders.js';
import type { ReadModelLoaders } from './loaders/read-model-loaders.js';

/** What every resolver gets: the HTTP request (credentials) and the request's read-model loaders. */
export interface GraphQLContext {
  readonly req: object;
  readonly loaders: ReadModelLoaders;
  readonly alertLoaders: AlertLoaders;
  /** Set by a mutation whose effect the read model did not show within the bounded wait. */
  readModelLag?: { readonly message: string; readonly waitedMs: number; readonly position: string };
}

/** The caller, who must be allowed to read accounts. */
export function accountReader(context: GraphQLContext): Principal {
  const principal = principalOf(context.req);
  if (!principal || !can(principal, 'account:read')) {
    throw new ForbiddenException({
      code: 'FORBIDDEN',
      message: 'Reading accounts needs the account_manager, leader or admin role',
    });
  }
  return principal;
}
