/**
 * The project's Prisma config (prisma.config.ts) with two changes, for `prisma migrate diff
 * --from-migrations` in scripts/db-migrate.ts: a shadow database that accepts a whole migration.
 *
 * Prisma's WASM schema engine replays each migration into the shadow database (in memory) as ONE
 * executeRaw call, and better-sqlite3 prepares only one statement at a time, so the first
 * migration fails with P3006. Here a call that better-sqlite3 cannot prepare as a single statement
 * (and so did not run at all) is run again as a script (executeScript, i.e. `exec`). And no
 * database file is opened: the diff compares the migrations with the schema only.
 */
import { join } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlQuery } from "@prisma/driver-adapter-utils";
import { defineConfig } from "prisma/config";

// As in prisma.config.ts: the WASM engines do all the work; never look for native ones.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= import.meta.filename;
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= import.meta.filename;

const root = join(import.meta.dirname, "..");

/** The shadow connection runs multi-statement SQL (a migration) as a script. */
function acceptScripts(shadow: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = shadow.executeRaw.bind(shadow);
  shadow.executeRaw = async (query: SqlQuery) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      // Preparing fails before anything runs, so running the same SQL as a script is safe.
      if (query.args.length > 0) throw error;
      await shadow.executeScript(query.sql);
      return 0;
    }
  };
  return shadow;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  // Absolute: Prisma resolves relative paths against this file's folder.
  schema: join(root, "prisma/schema.prisma"),
  migrations: { path: join(root, "prisma/migrations") },
  async adapter() {
    // A diff reads no database: both the main connection and the shadow one are in memory.
    const factory = new PrismaBetterSQLite3({ url: ":memory:" });
    const connectToShadowDb = factory.connectToShadowDb.bind(factory);
    factory.connectToShadowDb = async () => acceptScripts(await connectToShadowDb());
    return factory;
  },
});
