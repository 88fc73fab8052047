import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';

import type { Action } from '../permissions.js';
import type { Principal } from '../principal.js';

import { principalOf, requestOf } from './request-principal.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ACTION = 'auth:action';

/** The route (or every route of the controller) answers without credentials: health, docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The principal must be permitted `action`. Routes with neither this nor `@Public()` need
 * an authenticated principal of any role.
 */
export const RequireAction = (action: Action): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ACTION, action);

/** The authenticated {@link Principal} of the request (set by `AuthGuard`). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => {
    const request = requestOf(context);
    return request === undefined ? undefined : principalOf(request);
  },
);
