import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { DEFAULT_DATABASE_URL, sqliteFilePath } from "./src/db/url.js";

// Prisma's WASM engines do all the work here. Point the CLI's check for native engines at an
// existing file so that it never tries to download one (machines without Prisma's download host).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= import.meta.filename;
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= import.meta.filename;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    // SQLite creates the file but not its folder.
    mkdirSync(dirname(sqliteFilePath(url)), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
