import { ForbiddenException, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';

import type { CommandContext } from '#account-commands';
import { AlertAccessDeniedError, type AlertCommandResult } from '#alert-commands';
import { AlertError } from '#alerts';
import { can, principalOf, type Principal } from '#auth';
import { AlertsProjector } from '#read-model';

import { commandContextOf } from '../../http/command-context.factory.js';
import { AccountHistory } from '../accounts/account-history.js';
import type { GraphQLContext } from '../graphql-context.js';
import { READ_YOUR_WRITES_TIMEOUT_MS, refusal } from '../mutations/read-your-writes.js';
import { AlertHistory } from './alert-history.js';
import { alertNodeFromView, type AlertNode } from './alert-node.js';

/**
 * Runs a person's alert command and answers the alert as it then stands, from the alerts table
 * once it shows the write (bounded wait), else folded from the alert's stream (and the response
 * says so in `extensions.readModelLag`), as mutations on accounts do.
 */
@Injectable()
export class AlertWrites {
  constructor(
    private readonly commands: CommandBus,
    private readonly projector: AlertsProjector,
    private readonly alerts: AlertHistory,
    private readonly accounts: AccountHistory,
  ) {}

  /** The caller, who must be allowed to act on alerts: leaders and admins, account managers (their own). */
  manager(context: GraphQLContext): Principal {
    const principal = principalOf(context.req);
    if (!principal || !(can(principal, 'alerts:manage') || principal.roles.includes('account_manager'))) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: 'Acknowledging and resolving alerts needs the leader, admin or account_manager role',
      });
    }
    return principal;
  }

  commandContext(principal: Principal, context: GraphQLContext): CommandContext {
    return commandContextOf(principal, context.req);
  }

  async run(command: object, alertId: string, context: GraphQLContext): Promise<AlertNode> {
    let result: AlertCommandResult;
    try {
      result = (await this.commands.execute(command as never)) as AlertCommandResult;
    } catch (error) {
      if (error instanceof AlertError || error instanceof AlertAccessDeniedError) {
        throw refusal({ code: error.code, publicCode: error.code, message: error.message });
      }
      throw error;
    }
    const accountId = result.state?.accountId ?? null;
    const projected = await this.settle(result.commitPosition, context);
    // Later resolvers of this request read the alert and the account (its health, open alerts) afresh.
    context.alertLoaders.forget(alertId);
    if (accountId !== null) context.loaders.forget(accountId);
    if (projected) {
      const node = await context.alertLoaders.alert.load(alertId);
      if (node) return node;
    }
    return this.fromStreams(alertId);
  }

  private async settle(commitPosition: bigint | undefined, context: GraphQLContext): Promise<boolean> {
    if (commitPosition === undefined) return true;
    const started = Date.now();
    if (await this.projector.waitFor(commitPosition, READ_YOUR_WRITES_TIMEOUT_MS)) return true;
    context.readModelLag = {
      message:
        'The read model did not show this write within the wait; the answer was read from the event store',
      waitedMs: Date.now() - started,
      position: commitPosition.toString(),
    };
    return false;
  }

  private async fromStreams(alertId: string): Promise<AlertNode> {
    const now = new Date();
    const view = await this.alerts.foldAt(alertId);
    const account = view && (await this.accounts.foldAt(view.accountId, now));
    if (!view || !account) throw new Error(`Alert ${alertId} was written but cannot be read back`);
    return alertNodeFromView(view, account);
  }
}
