import { execFile } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `npm run db:migrate` for real (Prisma CLI, WASM schema engine, shadow database), on a copy of
// prisma/ in a temporary folder: the project's own migrations are never written to.
const root = join(import.meta.dirname, "..");
const run = promisify(execFile);
let dir: string;
let schema: string;
let migrations: string;

/** Runs scripts/db-migrate.ts on the copy, against the database file `db`; never throws. */
async function dbMigrate(db: string, ...args: string[]): Promise<{ code: number; output: string }> {
  const argv = [
    "--import",
    "tsx",
    join(root, "scripts/db-migrate.ts"),
    "--schema",
    schema,
    "--migrations",
    migrations,
    "--skip-generate",
    ...args,
  ];
  try {
    const { stdout, stderr } = await run(process.execPath, argv, { cwd: root, env: { ...process.env, DATABASE_URL: `file:${db}` } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const folders = () => readdirSync(migrations).sort();
const tables = (db: string) => {
  const sqlite = new Database(db, { readonly: true });
  try {
    return (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
  } finally {
    sqlite.close();
  }
};
const appliedMigrations = (db: string) => {
  const sqlite = new Database(db, { readonly: true });
  try {
    return (
      sqlite.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name").all() as {
        migration_name: string;
      }[]
    ).map((row) => row.migration_name);
  } finally {
    sqlite.close();
  }
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hamroh-db-migrate-"));
  cpSync(join(root, "prisma"), join(dir, "prisma"), { recursive: true });
  schema = join(dir, "prisma/schema.prisma");
  migrations = join(dir, "prisma/migrations");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run db:migrate", () => {
  it("on a fresh clone (no data folder, no database): applies the committed migrations, writes the new one and applies it", async () => {
    const db = join(dir, "data/dev.db");
    const committed = folders();
    appendFileSync(schema, "\nmodel MigrateTestNote {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n");

    const result = await dbMigrate(db, "--name", "Add test notes");
    expect(result.output).not.toMatch(/P3006|P1014|Error/);
    expect(result.code).toBe(0);
    const created = folders().filter((name) => !committed.includes(name));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^\d{14}_add_test_notes$/);
    expect(created[0]! > committed.at(-1)!).toBe(true);
    expect(readFileSync(join(migrations, created[0]!, "migration.sql"), "utf8")).toContain('CREATE TABLE "MigrateTestNote"');
    expect(result.output).toContain(`created `);
    expect(appliedMigrations(db)).toEqual(folders());
    expect(tables(db)).toContain("MigrateTestNote");
  });

  it("on the same, existing database without changes: says so and writes nothing", async () => {
    const db = join(dir, "data/dev.db");
    const before = folders();
    const result = await dbMigrate(db, "--name", "nothing");
    expect(result.code).toBe(0);
    expect(result.output).toContain("no changes");
    expect(folders()).toEqual(before);
  });

  it("on an existing database with rows: a schema change becomes a migration that applies and keeps the rows", async () => {
    const db = join(dir, "data/dev.db");
    const sqlite = new Database(db);
    sqlite.prepare(`INSERT INTO "MigrateTestNote" (text) VALUES (?)`).run("kept");
    sqlite.close();
    const before = folders();
    appendFileSync(schema, "\nmodel MigrateTestTag {\n  id   Int    @id @default(autoincrement())\n  name String @unique\n}\n");

    const result = await dbMigrate(db, "--name", "add_test_tags");
    expect(result.code, result.output).toBe(0);
    const created = folders().filter((name) => !before.includes(name));
    expect(created).toEqual([expect.stringMatching(/_add_test_tags$/)]);
    expect(appliedMigrations(db)).toEqual(folders());
    expect(tables(db)).toContain("MigrateTestTag");
    const check = new Database(db, { readonly: true });
    expect(check.prepare(`SELECT text FROM "MigrateTestNote"`).all()).toEqual([{ text: "kept" }]);
    check.close();
  });

  it("on a fresh database once the migrations match the schema: applies them all, no changes; a change without --name is refused", async () => {
    const db = join(dir, "other/fresh.db");
    const result = await dbMigrate(db);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("no changes");
    expect(existsSync(db)).toBe(true);
    expect(appliedMigrations(db)).toEqual(folders());

    appendFileSync(schema, "\nmodel MigrateTestUnnamed {\n  id Int @id @default(autoincrement())\n}\n");
    const before = folders();
    const unnamed = await dbMigrate(db);
    expect(unnamed.code).toBe(1);
    expect(unnamed.output).toContain('CREATE TABLE "MigrateTestUnnamed"');
    expect(unnamed.output).toContain("--name");
    expect(folders()).toEqual(before);
  });
});
