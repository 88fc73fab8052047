import { createHash } from 'node:crypto';

import { and, count, eq, gt, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';

import {
  accountVersions,
  ACCOUNT_PROJECTION_NAME,
  projectionCheckpoints,
  type ReadModelDb,
} from '#read-model';

import { badUserInput } from '../../http/validation.js';
import type { AccountOrder } from '../types/enums.js';
import type { AccountFilter } from './account-filter.input.js';

/** Where a walk through the portfolio stands: the version and instant of its first page, and the last item. */
interface PortfolioCursor {
  /** The read-model version every page of the walk reads. */
  readonly v: number;
  /** The instant of the first page ("overdue" is judged at it). */
  readonly n: number;
  /** The filter and order the walk was started with. */
  readonly f: string;
  readonly k: number | string;
  readonly i: string;
}

export interface PortfolioPage {
  readonly ids: readonly string[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
  readonly totalCount: number;
}

export interface PortfolioQuery {
  readonly filter: AccountFilter;
  readonly orderBy: AccountOrder;
  readonly first: number;
  readonly after: string | null;
  /** Only accounts of this owner (an account manager's own), whatever the filter says. */
  readonly ownerOnly: string | null;
  readonly now: Date;
}

const av = accountVersions;

/**
 * The sort key of each order, as one ascending value (then the account id): a descending order
 * is its negation, and an account never touched comes first when sorting by last touch.
 */
function sortKey(order: AccountOrder): SQL {
  switch (order) {
    case 'NAME_ASC':
      return sql`lower(${av.name}) collate "C"`;
    case 'HEALTH_ASC':
      return sql`${av.healthScore}::float8`;
    case 'HEALTH_DESC':
      return sql`(-${av.healthScore})::float8`;
    case 'LAST_TOUCH_ASC':
      return sql`coalesce(extract(epoch from ${av.lastTouchpointAt}) * 1000, -1e15)::float8`;
    case 'DAYS_IN_STAGE_DESC':
      // The longest in their stage first: the earliest entry.
      return sql`(extract(epoch from ${av.stageEnteredAt}) * 1000)::float8`;
  }
}

/**
 * One page of the portfolio from the versioned filter columns. The first page reads the current
 * version and records it in its cursors; the following pages read that same version, so their set,
 * order and total are those of the first page's instant even while accounts change. The nodes are
 * then loaded as they are now.
 */
export async function portfolioPage(db: ReadModelDb, query: PortfolioQuery): Promise<PortfolioPage> {
  const fingerprint = fingerprintOf(query);
  const cursor = query.after === null ? null : decodeCursor(query.after, fingerprint);
  const now = cursor ? new Date(cursor.n) : query.now;
  const key = sortKey(query.orderBy);

  const conditions: SQL[] = [];
  const version = cursor?.v ?? null;
  if (version === null) conditions.push(isNull(av.validTo));
  else conditions.push(lte(av.validFrom, version), or(isNull(av.validTo), gt(av.validTo, version))!);
  conditions.push(...filterConditions(query, now));
  const where = and(...conditions);

  const after = cursor
    ? [sql`(${key}, ${av.accountId} collate "C") > (${cursor.k}, ${cursor.i} collate "C")`]
    : [];
  const rows = await db
    .select({
      accountId: av.accountId,
      key: sql<number | string>`${key}`,
      version: sql<
        string | null
      >`(select ${projectionCheckpoints.eventsApplied} from ${projectionCheckpoints} where ${projectionCheckpoints.name} = ${ACCOUNT_PROJECTION_NAME})`,
    })
    .from(av)
    .where(and(where, ...after))
    .orderBy(key, sql`${av.accountId} collate "C"`)
    .limit(query.first + 1);
  const [{ total }] = await db.select({ total: count() }).from(av).where(where);

  const walkVersion = version ?? Number(rows[0]?.version ?? 0);
  const page = rows.slice(0, query.first);
  return {
    ids: page.map((row) => row.accountId),
    cursors: page.map((row) =>
      encodeCursor({
        v: walkVersion,
        n: now.getTime(),
        f: fingerprint,
        k: normalise(row.key),
        i: row.accountId,
      }),
    ),
    hasNextPage: rows.length > query.first,
    totalCount: Number(total),
  };
}

function filterConditions(query: PortfolioQuery, now: Date): SQL[] {
  const { filter } = query;
  const conditions: SQL[] = [];
  if (query.ownerOnly !== null) conditions.push(eq(av.ownerId, query.ownerOnly));
  if (filter.ownerId) conditions.push(eq(av.ownerId, filter.ownerId));
  if (filter.stages?.length) conditions.push(inArray(av.stage, filter.stages));
  if (filter.tiers?.length) conditions.push(inArray(av.tier, filter.tiers));
  if (filter.healthBands?.length) conditions.push(inArray(av.healthBand, filter.healthBands));
  if (typeof filter.silent === 'boolean') conditions.push(eq(av.silent, filter.silent));
  if (filter.hasOverdueCommitments === true) conditions.push(lt(av.nextCommitmentDueAt, now));
  if (filter.hasOverdueCommitments === false) {
    conditions.push(or(isNull(av.nextCommitmentDueAt), gte(av.nextCommitmentDueAt, now))!);
  }
  if (filter.nameContains) {
    const pattern = `%${filter.nameContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`lower(${av.name}) like ${pattern}`);
  }
  return conditions;
}

/** Numbers come back from the drivers as numbers or numeric strings; keys compare as numbers. */
function normalise(key: number | string): number | string {
  if (typeof key === 'number') return key;
  const asNumber = Number(key);
  return /^-?\d/.test(key) && Number.isFinite(asNumber) ? asNumber : key;
}

function fingerprintOf(query: PortfolioQuery): string {
  const { filter, orderBy, ownerOnly } = query;
  const canonical = JSON.stringify([
    orderBy,
    ownerOnly,
    filter.ownerId ?? null,
    [...(filter.stages ?? [])].sort(),
    [...(filter.tiers ?? [])].sort(),
    [...(filter.healthBands ?? [])].sort(),
    filter.silent ?? null,
    filter.hasOverdueCommitments ?? null,
    filter.nameContains?.toLowerCase() ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

function encodeCursor(cursor: PortfolioCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, fingerprint: string): PortfolioCursor {
  let cursor: Partial<PortfolioCursor>;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString()) as Partial<PortfolioCursor>;
  } catch {
    throw badUserInput([{ path: 'after', message: 'is not a cursor this field returned' }]);
  }
  const valid =
    cursor !== null &&
    typeof cursor === 'object' &&
    Number.isSafeInteger(cursor.v) &&
    Number.isSafeInteger(cursor.n) &&
    typeof cursor.f === 'string' &&
    (typeof cursor.k === 'number' || typeof cursor.k === 'string') &&
    typeof cursor.i === 'string';
  if (!valid) throw badUserInput([{ path: 'after', message: 'is not a cursor this field returned' }]);
  if (cursor.f !== fingerprint) {
    throw badUserInput([
      { path: 'after', message: 'was returned for another filter or order: start again without it' },
    ]);
  }
  return cursor as PortfolioCursor;
}
