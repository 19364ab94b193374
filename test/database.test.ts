import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { closeDatabase, openDatabase } from "../src/db/client.js";
import { MIGRATIONS_DIR, migrateDatabase } from "../src/db/migrate.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "hamroh-db-"));
  dirs.push(dir);
  return join(dir, "nested", "hamroh.db");
};

describe("database set-up at start", () => {
  it("creates the folder and file, applies the migrations once, recorded the way Prisma Migrate does", () => {
    const file = tempFile();
    const first = migrateDatabase(file);
    expect(first.length).toBeGreaterThan(0);
    expect(migrateDatabase(file)).toEqual([]); // idempotent

    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations").all() as { migration_name: string; checksum: string; finished_at: string }[];
    const sql = readFileSync(join(MIGRATIONS_DIR, first[0]!, "migration.sql"), "utf8");
    expect(rows[0]).toMatchObject({ migration_name: first[0], checksum: createHash("sha256").update(sql).digest("hex") });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("keeps what is stored when the bot starts again", async () => {
    const file = tempFile();
    const first = await openDatabase(`file:${file}`);
    await first.user.create({ data: { telegramId: 42n, language: "tg" } });
    await closeDatabase(first);
    const second = await openDatabase(`file:${file}`);
    expect(await second.user.findUnique({ where: { telegramId: 42n } })).toMatchObject({ language: "tg" });
    await closeDatabase(second);
  });
});
