/**
 * `npm run db:migrate -- --name what_changed`: after an edit of prisma/schema.prisma, writes the
 * migration that brings the committed migrations to the schema and applies it to the dev database.
 *
 * 1. Applies the committed migrations that the dev database (DATABASE_URL, from the environment or
 *    .env; default data/hamroh.db) lacks, as every start does; creates the file if needed.
 * 2. `prisma migrate diff --from-migrations … --to-schema-datamodel … --script`, with the shadow
 *    database of scripts/prisma-shadow.config.ts (in memory); prints "no changes" if it is empty.
 * 3. Otherwise writes prisma/migrations/<UTC timestamp>_<name>/migration.sql and applies it.
 * 4. `prisma generate`, so that the client matches the schema (also after a change that needs no
 *    migration, such as renaming a model with @@map).
 *
 * This replaces `prisma migrate dev`, which cannot work with Prisma 6.19's WASM engine on SQLite
 * here (P1014 on a new database, P3006 when it replays the first migration into the shadow
 * database). Options: --name, --create-only (write the new migration without applying it),
 * --skip-generate, --schema and --migrations (other paths, for tests).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { migrateDatabase } from "../src/db/migrate.js";

const root = join(import.meta.dirname, "..");
const DEFAULT_DATABASE_URL = "file:./data/hamroh.db"; // as src/db/url.ts and prisma.config.ts

const usage = "Usage: npm run db:migrate -- --name what_changed [--create-only] [--skip-generate] [--schema FILE] [--migrations DIR]";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function parse() {
  try {
    return parseArgs({
      options: {
        name: { type: "string", short: "n" },
        "create-only": { type: "boolean", default: false },
        "skip-generate": { type: "boolean", default: false },
        schema: { type: "string" },
        migrations: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
}

/** The Prisma CLI's entry point, run with this Node. */
function prismaCli(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("prisma/package.json");
  const { bin } = JSON.parse(readFileSync(packageJson, "utf8")) as { bin: Record<string, string> };
  return join(dirname(packageJson), bin.prisma!);
}

function prisma(args: string[]) {
  return spawnSync(process.execPath, [prismaCli(), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

/**
 * The SQL that brings the migrations to the schema ("" if none). The migrations are diffed from
 * a temporary copy with the migration_lock.toml that Prisma asks for (the project keeps none).
 */
function diff(migrationsDir: string, schemaFile: string): string {
  const copy = mkdtempSync(join(tmpdir(), "hamroh-migrations-"));
  try {
    cpSync(migrationsDir, copy, { recursive: true });
    writeFileSync(join(copy, "migration_lock.toml"), 'provider = "sqlite"\n');
    const result = prisma([
      "migrate",
      "diff",
      "--config",
      join(root, "scripts/prisma-shadow.config.ts"),
      "--from-migrations",
      copy,
      "--to-schema-datamodel",
      schemaFile,
      "--script",
      "--exit-code",
    ]);
    // --exit-code: 0 no difference, 2 a difference, anything else an error.
    if (result.status === 0) return "";
    if (result.status === 2) return result.stdout.trim();
    return fail(`prisma migrate diff failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Prisma's folder name: the UTC time as YYYYMMDDHHMMSS, later than every existing migration. */
function migrationFolder(migrationsDir: string, name: string): string {
  const existing = readdirSync(migrationsDir)
    .map((entry) => /^(\d{14})_/.exec(entry)?.[1])
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort();
  let stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const last = existing.at(-1);
  if (last !== undefined && stamp <= last) stamp = String(BigInt(last) + 1n);
  return `${stamp}_${name}`;
}

const options = parse();
if (options.help) {
  console.log(usage);
  process.exit(0);
}
if (existsSync(join(root, ".env"))) process.loadEnvFile(join(root, ".env"));
const schemaFile = resolve(options.schema ?? join(root, "prisma/schema.prisma"));
const migrationsDir = resolve(options.migrations ?? join(root, "prisma/migrations"));
const name = options.name
  ?.toLowerCase()
  .replace(/[^a-z0-9_]+/g, "_")
  .replace(/^_+|_+$/g, "");
if (options.name !== undefined && !name) fail(`--name needs letters or digits.\n${usage}`);
const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
if (!databaseUrl.startsWith("file:")) fail(`DATABASE_URL must be a SQLite file URL (file:…), not ${databaseUrl}`);
const databaseFile = resolve(databaseUrl.replace(/^file:/, "").replace(/\?.*$/, ""));
const shown = (path: string) => relative(process.cwd(), path) || path;

mkdirSync(migrationsDir, { recursive: true });
let applied: string[] = [];
try {
  applied = migrateDatabase(databaseFile, migrationsDir);
} catch (error) {
  fail(`A committed migration failed to apply to ${shown(databaseFile)}: ${error instanceof Error ? error.message : String(error)}`);
}
console.log(
  `${shown(databaseFile)}: ${applied.length > 0 ? `applied ${applied.join(", ")}` : "every committed migration already applied"}`,
);

const sql = diff(migrationsDir, schemaFile);
if (sql === "") {
  console.log("no changes: the migrations already match the schema");
} else {
  if (name === undefined) fail(`The schema has changes that need a migration:\n\n${sql}\n\nName it: ${usage}`);
  const folder = join(migrationsDir, migrationFolder(migrationsDir, name));
  mkdirSync(folder);
  writeFileSync(join(folder, "migration.sql"), `${sql}\n`);
  console.log(`created ${shown(join(folder, "migration.sql"))} (commit it)`);
  if (options["create-only"]) {
    console.log("not applied (--create-only): the next start or db:migrate applies it");
  } else {
    try {
      console.log(`${shown(databaseFile)}: applied ${migrateDatabase(databaseFile, migrationsDir).join(", ")}`);
    } catch (error) {
      fail(
        `The new migration failed to apply: ${error instanceof Error ? error.message : String(error)}\nEdit ${shown(join(folder, "migration.sql"))} and run db:migrate again (without --name).`,
      );
    }
  }
}

if (!options["skip-generate"]) {
  const generated = prisma(["generate", "--schema", schemaFile]);
  if (generated.status !== 0) fail(`prisma generate failed:\n${generated.stderr}${generated.stdout}`);
  console.log("generated the Prisma client");
}
