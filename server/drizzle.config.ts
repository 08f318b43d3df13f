import { defineConfig } from 'drizzle-kit';

// Generates SQL migrations from src/db/schema.ts: `npx drizzle-kit generate --config server/drizzle.config.ts`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema.ts',
  out: './server/drizzle',
});
