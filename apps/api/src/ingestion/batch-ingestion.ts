import { Logger } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';

import type { AccountCommandsResult, ItemError, ItemResult } from '#account-commands';
import { CommandConflictError } from '#command-handling';

import { validateItem } from '../http/validation.js';

export type IngestStatus = 'created' | 'duplicate' | 'rejected';

export interface IngestItemResult {
  readonly index: number;
  readonly status: IngestStatus;
  readonly error?: { readonly code: string; readonly message: string; readonly field?: string };
}

export interface BatchSpec<Dto extends object, Data> {
  readonly dto: ClassConstructor<Dto>;
  /** The lifecycle command's data for a valid item (ids generated here when absent). */
  toData(item: Dto): Data;
  accountOf(data: Data): string;
  /** Writes one account's items, in order, in one append. */
  dispatch(accountId: string, items: readonly Data[]): Promise<AccountCommandsResult>;
  /** The item's key as reported back (`touchpointId`, `commitmentId`, `id`). */
  keyOf(data: Data): Record<string, string>;
  /** The code a refused item reports; default the precise one (GraphQL reports the contract's). */
  codeOf?(error: ItemError): string;
}

/** Accounts written at once; items of one account always go together, in order. */
const CONCURRENT_ACCOUNTS = 32;
const logger = new Logger('Ingestion');

/**
 * Validates each item on its own, groups the valid ones by account (keeping their order),
 * writes the accounts concurrently, and reports one result per item. An answer comes only once
 * every accepted item is durable.
 */
export async function ingestBatch<Dto extends object, Data>(
  items: readonly unknown[],
  spec: BatchSpec<Dto, Data>,
): Promise<Array<IngestItemResult & Record<string, unknown>>> {
  const results: Array<IngestItemResult & Record<string, unknown>> = new Array(items.length);
  const groups = new Map<string, Array<{ index: number; data: Data }>>();
  items.forEach((item, index) => {
    const checked = validateItem(spec.dto, item);
    if (!checked.ok) {
      const first = checked.fields[0];
      const message = `Invalid input: ${checked.fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`;
      const key = typeof item === 'object' && item !== null ? keyFields(item as Record<string, unknown>) : {};
      results[index] = {
        index,
        ...key,
        status: 'rejected',
        error: { code: 'BAD_USER_INPUT', message, field: first.path },
      };
      return;
    }
    const data = spec.toData(checked.value);
    const account = spec.accountOf(data);
    const group = groups.get(account) ?? [];
    group.push({ index, data });
    groups.set(account, group);
  });

  const queue = [...groups];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [accountId, group] = next;
      let outcome: readonly ItemResult[];
      try {
        const written = await spec.dispatch(
          accountId,
          group.map((g) => g.data),
        );
        outcome = written.results;
      } catch (error) {
        // Nothing of this account's items was written: say so item by item, so a retry of the
        // same batch is safe (every written item comes back as a duplicate).
        const conflict = error instanceof CommandConflictError;
        if (!conflict) logger.error({ msg: 'ingestion write failed', accountId, err: error });
        const refusal = conflict
          ? { code: 'CONFLICT', message: error.message }
          : { code: 'UNAVAILABLE', message: 'The event store did not take the write; retry the item' };
        outcome = group.map(() => ({
          status: 'rejected' as const,
          error: { ...refusal, publicCode: refusal.code },
        }));
      }
      group.forEach(({ index, data }, i) => {
        const result = outcome[i];
        const base = { index, ...spec.keyOf(data) };
        if (result.status === 'rejected') {
          const { message, field } = result.error;
          const code = spec.codeOf ? spec.codeOf(result.error) : result.error.code;
          results[index] = {
            ...base,
            status: 'rejected',
            error: { code, message, ...(field ? { field } : {}) },
          };
        } else {
          // A same-content retry of something already recorded (or nothing to record) is a duplicate.
          results[index] = { ...base, status: result.status === 'created' ? 'created' : 'duplicate' };
        }
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_ACCOUNTS, queue.length) }, worker));
  return results;
}

/** The id fields of an item that failed validation, echoed back when they are strings. */
function keyFields(item: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['id', 'touchpointId', 'commitmentId']) {
    if (typeof item[key] === 'string') out[key] = item[key];
  }
  return out;
}
