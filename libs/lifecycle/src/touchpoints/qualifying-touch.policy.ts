import type { Channel } from './channel.enum.js';
import type { Direction } from './direction.enum.js';

const NON_QUALIFYING_CHANNELS: readonly Channel[] = ['INTERNAL_NOTE', 'PRODUCT_USAGE'];

/** A real two-way contact with the customer; only these end silence. */
export function isQualifyingTouch(touch: {
  readonly direction: Direction;
  readonly channel: Channel;
}): boolean {
  return touch.direction !== 'INTERNAL' && !NON_QUALIFYING_CHANNELS.includes(touch.channel);
}
