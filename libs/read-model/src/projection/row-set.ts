import { inArray, sql, type Column, type SQL } from 'drizzle-orm';

export type ColumnType = 'text' | 'int' | 'bigint' | 'boolean' | 'timestamptz' | 'jsonb';

/**
 * Rows sent as one JSON parameter and read as a set of rows in SQL:
 * `json_to_recordset($1::json) as alias(name type, …)`. A batch of any size is then one statement
 * of the same text with one parameter, rather than a statement, or a parameter, per row or value.
 * Values are strings (instants as ISO strings, bigints in decimal), numbers, booleans, null, and
 * any JSON for a jsonb column. `columns` names the caller's constants. Join one to a table by
 * key with {@link keyedBy}.
 */
export function rowSet(
  alias: string,
  columns: Readonly<Record<string, ColumnType>>,
  rows: readonly Readonly<Record<string, unknown>>[],
): SQL {
  const definition = Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ');
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) as ${sql.raw(alias)}(${sql.raw(definition)})`;
}

/** A column's bare name, for the target list of an insert or the left side of an update's set. */
export function named(column: { readonly name: string }): SQL {
  return sql`${sql.identifier(column.name)}`;
}

/** The rows of `tx.execute(…)`: both drivers answer with node-postgres's result shape. */
export function rowsOf<Row>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}

/**
 * The condition that joins a table to a row set by key: `column = field` (the row set's, as
 * `alias.name`), and `column` among `keys`, the rows' values of that field. The planner takes any
 * row set for 100 rows, so with the equality alone a table with statistics is read whole for a
 * hash join rather than probed through its key's index (a batch's three fulfilled commitments
 * cost a scan of every commitment, about 60 ms on PGlite at 9,000 of them, against under 1 ms).
 */
export function keyedBy(column: Column, field: string, keys: Iterable<string>): SQL {
  return sql`${column} = ${sql.raw(field)} and ${inArray(column, [...keys])}`;
}
