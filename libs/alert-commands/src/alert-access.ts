import { can, canAccessAccount, type Principal } from '#auth';
import { AlertError, type AlertCommand } from '#alerts';

/** The principal may not change alerts at all (an integration). */
export class AlertAccessDeniedError extends Error {
  readonly code = 'FORBIDDEN';

  constructor() {
    super('Acknowledging and resolving alerts needs the leader, admin or account_manager role');
    this.name = 'AlertAccessDeniedError';
  }
}

/** Whether the principal may act on any alert: leaders, admins and the system. */
export function managesEveryAlert(principal: Principal): boolean {
  return can(principal, 'alerts:manage');
}

/**
 * Who may do what to an alert (docs/api.md): leaders and admins (and the system) anything; an
 * account manager may acknowledge and resolve the alerts of the accounts they own, and another
 * owner's alert is answered like a missing one; anyone else nothing. `ownerId` is the alert's
 * account's owner, or null when the alert does not exist.
 */
export function assertMayChangeAlert(
  command: AlertCommand,
  principal: Principal,
  ownerId: string | null,
): void {
  if (managesEveryAlert(principal)) return;
  const personal = command.type === 'AcknowledgeAlert' || command.type === 'ResolveAlert';
  if (!personal || !principal.roles.includes('account_manager')) throw new AlertAccessDeniedError();
  if (ownerId === null || !canAccessAccount(principal, ownerId)) {
    throw new AlertError('NOT_FOUND', `Alert ${command.data.alertId} does not exist`);
  }
}
