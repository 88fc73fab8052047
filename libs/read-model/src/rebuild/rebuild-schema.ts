import { getTableName, sql, type SQL } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';

import type { ReadModelDb, ReadModelTx } from '../database/read-model-database.js';
import type { ReadModelTables } from '../schema/read-model-tables.js';

/** Something that runs SQL: the database or a transaction. */
type Sql = Pick<ReadModelDb | ReadModelTx, 'execute'>;

/**
 * Written on every schema a rebuild creates. A rebuild drops a schema of its name left over
 * by an earlier one only when it carries this, never a schema someone made for anything else.
 */
export const REBUILD_SCHEMA_COMMENT = 'read-model rebuild: dropped and made anew by every rebuild';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED_SCHEMAS = new Set(['public', 'drizzle', 'information_schema']);

/** Throws a RangeError naming the rule when `name` cannot be a rebuild's working schema. */
export function checkRebuildSchemaName(name: string, liveSchema?: string): void {
  if (!SCHEMA_NAME.test(name)) {
    throw new RangeError(
      `schema: must be 1 to 63 lower-case letters, digits or underscores, not starting with a digit (got ${JSON.stringify(name)})`,
    );
  }
  if (RESERVED_SCHEMAS.has(name) || name.startsWith('pg_') || name === liveSchema) {
    throw new RangeError(
      `schema: must not be the live schema, public, drizzle, information_schema or pg_* (got ${JSON.stringify(name)})`,
    );
  }
}

/** A double-quoted identifier; names reaching here were checked or come from the catalog. */
export const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export async function rowsOf<T>(db: Sql, query: SQL): Promise<T[]> {
  // Both drivers answer `{ rows }`.
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The schema the live tables are in: the connection's first (unqualified names resolve there). */
export async function currentSchema(db: Sql): Promise<string> {
  const [row] = await rowsOf<{ name: string | null }>(db, sql`select current_schema() as name`);
  if (!row?.name) throw new Error('The database connection has no current schema (search_path is empty)');
  return row.name;
}

/** The names of a set's tables. */
export function tableNames(tables: ReadModelTables): string[] {
  return Object.values(tables).map((table) => getTableName(table));
}

/**
 * The order the switch-over locks the live tables in. Every projector batch writes the timeline
 * first, so a batch that has started holds the timeline's lock and one that has not waits for
 * it holding nothing: taking the timeline first keeps the two from deadlocking.
 */
export function lockOrder(tables: ReadModelTables): string[] {
  const timeline = getTableName(tables.timelineEntries);
  return [timeline, ...tableNames(tables).filter((name) => name !== timeline)];
}

/**
 * Creates `schema` (dropping one left by an earlier rebuild) with the read model's tables, by
 * running the migrations in it: unqualified names resolve to it first, and names qualified with
 * the live schema are rewritten to it. Replaying the same SQL rather than deriving DDL from the
 * table definitions keeps columns in the order the live tables got them through `ALTER TABLE`s.
 */
export async function createRebuildSchema(
  db: ReadModelDb,
  schema: string,
  liveSchema: string,
  migrationsFolder: string,
): Promise<void> {
  const statements = readMigrationFiles({ migrationsFolder })
    .flatMap((migration) => migration.sql)
    .map((statement) => retarget(statement, liveSchema, schema))
    .filter((statement) => statement.trim() !== '');
  await db.transaction(async (tx) => {
    const [existing] = await rowsOf<{ comment: string | null }>(
      tx,
      sql`select obj_description(oid, 'pg_namespace') as comment from pg_namespace where nspname = ${schema}`,
    );
    if (existing !== undefined) {
      if (existing.comment !== REBUILD_SCHEMA_COMMENT) {
        throw new Error(
          `schema: "${schema}" exists and was not made by a rebuild; refusing to drop it (choose another name)`,
        );
      }
      await tx.execute(sql.raw(`drop schema ${quoted(schema)} cascade`));
    }
    await tx.execute(sql.raw(`create schema ${quoted(schema)}`));
    await tx.execute(sql.raw(`comment on schema ${quoted(schema)} is '${REBUILD_SCHEMA_COMMENT}'`));
    // The live schema stays on the path for functions, types and operator classes it may hold.
    await tx.execute(sql.raw(`set local search_path to ${quoted(schema)}, ${quoted(liveSchema)}`));
    for (const statement of statements) await tx.execute(sql.raw(statement));
  });
}

/**
 * Drops from a rebuild's working schema the tables the migrations made there for other
 * projections (`others`): the switch-over must not replace them, they are filled by those.
 */
export async function dropOtherTables(db: Sql, schema: string, others: readonly string[]): Promise<void> {
  if (others.length === 0) return;
  await db.execute(
    sql.raw(`drop table if exists ${others.map((name) => `${quoted(schema)}.${quoted(name)}`).join(', ')}`),
  );
}

/** Drops a schema a rebuild made (and only such a schema); true if there was one. */
export async function dropRebuildSchema(db: Sql, schema: string): Promise<boolean> {
  const [existing] = await rowsOf<{ comment: string | null }>(
    db,
    sql`select obj_description(oid, 'pg_namespace') as comment from pg_namespace where nspname = ${schema}`,
  );
  if (existing?.comment !== REBUILD_SCHEMA_COMMENT) return false;
  await db.execute(sql.raw(`drop schema ${quoted(schema)} cascade`));
  return true;
}

function retarget(statement: string, from: string, to: string): string {
  return statement.replaceAll(`${quoted(from)}.`, `${quoted(to)}.`);
}

/**
 * The shape of `tables` in `schema` as comparable lines: columns in order with type, nullability
 * and default; indexes and constraints by name with their definitions. Schema names are taken
 * out, so that the same tables in two schemas describe the same.
 */
export async function describeTables(db: Sql, schema: string, tables: readonly string[]): Promise<string[]> {
  const list = sql.join(
    tables.map((name) => sql`${name}`),
    sql`, `,
  );
  const columns = await rowsOf<Record<string, string | boolean | null>>(
    db,
    sql`select c.relname as "table", a.attname as "column", format_type(a.atttypid, a.atttypmod) as "type",
               a.attnotnull as "notNull", pg_get_expr(d.adbin, d.adrelid) as "default"
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
          left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
         where n.nspname = ${schema} and c.relname in (${list}) and c.relkind in ('r', 'p')
           and a.attnum > 0 and not a.attisdropped
         order by c.relname, a.attnum`,
  );
  const indexes = await rowsOf<Record<string, string>>(
    db,
    sql`select c.relname as "table", i.relname as "name", pg_get_indexdef(x.indexrelid) as "definition"
          from pg_index x
          join pg_class i on i.oid = x.indexrelid
          join pg_class c on c.oid = x.indrelid
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ${schema} and c.relname in (${list})
         order by c.relname, i.relname`,
  );
  const constraints = await rowsOf<Record<string, string>>(
    db,
    sql`select c.relname as "table", k.conname as "name", k.contype as "kind",
               pg_get_constraintdef(k.oid) as "definition"
          from pg_constraint k
          join pg_class c on c.oid = k.conrelid
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ${schema} and c.relname in (${list})
         order by c.relname, k.conname`,
  );
  const present = new Set(columns.map((row) => row.table));
  const unqualified = (text: string) =>
    text.replace(new RegExp(`(^|[\\s(,])(${schema}|${quoted(schema)})\\.`, 'g'), '$1');
  return [
    ...tables.filter((table) => !present.has(table)).map((table) => `table ${table}: missing`),
    ...columns.map(
      (row) =>
        `table ${row.table}: column ${row.column} ${row.type}${row.notNull ? ' not null' : ''}${
          row.default === null ? '' : ` default ${unqualified(String(row.default))}`
        }`,
    ),
    ...indexes.map((row) => `table ${row.table}: index ${row.name} ${unqualified(row.definition)}`),
    ...constraints.map(
      (row) => `table ${row.table}: constraint ${row.name} (${row.kind}) ${unqualified(row.definition)}`,
    ),
  ];
}

/** Throws when `tables` differ between the two schemas, naming the first differences. */
export async function assertSameTables(
  db: Sql,
  liveSchema: string,
  rebuildSchema: string,
  tables: readonly string[],
): Promise<void> {
  const live = await describeTables(db, liveSchema, tables);
  const rebuilt = await describeTables(db, rebuildSchema, tables);
  if (live.join('\n') === rebuilt.join('\n')) return;
  const onlyLive = live.filter((line) => !rebuilt.includes(line));
  const onlyRebuilt = rebuilt.filter((line) => !live.includes(line));
  const differences = [
    ...onlyLive.map((line) => `  live only:    ${line}`),
    ...onlyRebuilt.map((line) => `  rebuilt only: ${line}`),
  ];
  throw new Error(
    `The tables made from the migrations in "${rebuildSchema}" differ from the live ones in "${liveSchema}" ` +
      `(were the live tables changed by hand, or migrated by a newer version?):\n` +
      (differences.length > 0 ? differences.slice(0, 10).join('\n') : '  the columns are in another order'),
  );
}

/** Throws unless `schema` holds exactly the tables the projection fills. */
export async function assertOnlyTables(db: Sql, schema: string, expected: readonly string[]): Promise<void> {
  const found = (
    await rowsOf<{ name: string }>(
      db,
      sql`select c.relname as "name" from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
    )
  ).map((row) => row.name);
  const extra = found.filter((name) => !expected.includes(name));
  const missing = expected.filter((name) => !found.includes(name));
  if (extra.length === 0 && missing.length === 0) return;
  throw new Error(
    `The migrations and the projection disagree on the read model's tables: ` +
      [
        extra.length > 0 ? `the migrations make ${extra.join(', ')}, which the projection does not fill` : '',
        missing.length > 0
          ? `the projection fills ${missing.join(', ')}, which the migrations do not make`
          : '',
      ]
        .filter(Boolean)
        .join('; '),
  );
}
