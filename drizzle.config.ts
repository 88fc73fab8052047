import { defineConfig } from 'drizzle-kit';

// The read model's migrations (`npm run db:generate`); applied at start by drizzle's migrator,
// the same SQL on PostgreSQL and on PGlite.
export default defineConfig({
  dialect: 'postgresql',
  schema: './libs/read-model/src/schema/index.ts',
  out: './libs/read-model/drizzle',
});
