import { pgSchema, pgTable } from 'drizzle-orm/pg-core';

/**
 * Builds tables either in the default schema or in a named one. The projector works on a
 * {@link ReadModelTables} set rather than on module-level tables, so that a rebuild can fill
 * a second set (another schema) while the live one keeps serving.
 */
export type TableFactory = typeof pgTable;

export function tableFactory(schemaName?: string): TableFactory {
  if (schemaName === undefined || schemaName === 'public') return pgTable;
  // Same signature; only the schema name recorded in the table differs.
  return pgSchema(schemaName).table as unknown as TableFactory;
}
