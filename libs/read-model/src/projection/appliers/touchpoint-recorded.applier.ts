import type { Applier } from '../apply-context.js';
import { insertTouchpoints } from '../touchpoint-rows.js';

/** Several of one account may come together, in their order. */
export const applyTouchpointRecorded: Applier<'TouchpointRecorded'> = ({ tx, tables }, events) =>
  insertTouchpoints(tx, tables, events);
