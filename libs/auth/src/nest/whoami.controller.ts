import { Controller, Get } from '@nestjs/common';

import type { Principal } from '../principal.js';

import { CurrentPrincipal } from './auth.decorators.js';

/**
 * `GET /v1/whoami`: who the service takes the caller for. Lets integration authors check
 * their credentials before sending data; any authenticated principal may call it.
 */
@Controller('v1')
export class WhoAmIController {
  @Get('whoami')
  whoAmI(@CurrentPrincipal() principal: Principal): Pick<Principal, 'id' | 'roles' | 'kind'> {
    return { id: principal.id, roles: principal.roles, kind: principal.kind };
  }
}
