import type { Principal } from '#auth';

/** Who sends a command and which request it belongs to; becomes the events' metadata. */
export interface CommandContext {
  readonly principal: Principal;
  /** Shared by everything one outside request leads to. */
  readonly correlationId: string;
  /** The request or event that directly caused the command. */
  readonly causationId: string;
}

/** The principal the service's own processes (the risk monitor) act as. */
export const SYSTEM_PRINCIPAL: Principal = Object.freeze({
  id: 'system',
  roles: Object.freeze(['admin'] as const),
  kind: 'system',
});
