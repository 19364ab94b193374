import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "../src/db/checkpointer.js";
import { closeDatabase, openDatabase } from "../src/db/client.js";
import { migrateDatabase, migrationsDir } from "../src/db/migrate.js";

const MIGRATIONS_DIR = migrationsDir();

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
    const rows = db.prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations").all() as {
      migration_name: string;
      checksum: string;
      finished_at: string;
    }[];
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

describe("WAL checkpoints off the bot's connection", () => {
  /** A WAL database whose own connection never checkpoints (as the bot's), with rows only in the log. */
  const writtenToTheLog = () => {
    const file = tempFile();
    migrateDatabase(file);
    const db = new Database(file);
    db.pragma("wal_autocheckpoint = 0");
    db.exec("CREATE TABLE note (text TEXT)");
    const insert = db.prepare("INSERT INTO note (text) VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`a note long enough to fill pages ${i}`.repeat(4));
    })();
    return { file, db, sizeBefore: statSync(file).size };
  };
  const until = async (condition: () => boolean, what: string) => {
    for (const deadline = Date.now() + 10_000; !condition(); await new Promise((resolve) => setTimeout(resolve, 20))) {
      if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
    }
  };

  it("the thread copies the log into the database file when a checkpoint is due, and empties the log at stop", async () => {
    const { file, db, sizeBefore } = writtenToTheLog();
    const errors: Error[] = [];
    const checkpointer = startCheckpointer(file, (error) => errors.push(error), 50);
    await until(() => statSync(file).size > sizeBefore, "the rows reach the database file");
    await checkpointer.stop();
    expect(statSync(`${file}-wal`).size).toBe(0); // TRUNCATE
    expect(db.prepare("SELECT count(*) AS n FROM note").get()).toEqual({ n: 2000 });
    expect(errors).toEqual([]);
    db.close();
  });

  it("stopped before a checkpoint is due, no thread has started and nothing is lost: closing the last connection checkpoints", async () => {
    const { file, db, sizeBefore } = writtenToTheLog();
    const checkpointer = startCheckpointer(file, () => undefined, 60_000);
    await checkpointer.stop();
    expect(statSync(file).size).toBe(sizeBefore);
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new Database(file, { readonly: true });
    expect(reopened.prepare("SELECT count(*) AS n FROM note").get()).toEqual({ n: 2000 });
    reopened.close();
  });
});

describe("migrations keep data", () => {
  it("a later migration that rebuilds a table keeps the rows that refer to it", async () => {
    const file = tempFile();
    const dir = join(file, "..", "migrations");
    const { cpSync, mkdirSync, writeFileSync, readdirSync } = await import("node:fs");
    mkdirSync(dir, { recursive: true });
    const first = readdirSync(MIGRATIONS_DIR)
      .filter((name) => !name.endsWith(".toml"))
      .sort();
    for (const name of first) cpSync(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
    migrateDatabase(file, dir);
    const db = await openDatabase(`file:${file}`);
    const user = await db.user.create({ data: { telegramId: 7n, language: "ru" } });
    await db.faqVote.create({ data: { userId: user.id, questionId: "q", helpful: true } });
    await closeDatabase(db);
    // What Prisma generates for a column change on SQLite: a new table, copy, drop, rename.
    mkdirSync(join(dir, "99999999999999_rebuild_user"));
    writeFileSync(
      join(dir, "99999999999999_rebuild_user", "migration.sql"),
      `PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "telegramId" BIGINT NOT NULL,
    "language" TEXT NOT NULL,
    "timeZone" TEXT,
    "city" TEXT,
    "noticesOff" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_User" SELECT "id", "telegramId", "language", "timeZone", "city", "noticesOff", "createdAt", "lastSeenAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_telegramId_key" ON "User"("telegramId");
PRAGMA foreign_keys=ON;`,
    );
    expect(migrateDatabase(file, dir)).toEqual(["99999999999999_rebuild_user"]);
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT COUNT(*) AS n FROM FaqVote").get()).toEqual({ n: 1 });
    check.close();
  });
});

describe("backup", () => {
  it("npm run backup makes a consistent copy while the bot keeps writing", async () => {
    const { execFile } = await import("node:child_process");
    const { readdirSync } = await import("node:fs");
    const file = tempFile();
    const db = await openDatabase(`file:${file}`);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await db.user.create({ data: { telegramId: BigInt(100_000 + written), language: "tg" } });
        written++;
        // Let timers run between writes, as updates arriving over the network do.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The backup script in its own process, as an operator runs it next to the bot.
    const cwd = join(file, "..");
    await new Promise<void>((resolve, reject) =>
      execFile(
        join(import.meta.dirname, "../node_modules/.bin/tsx"),
        [join(import.meta.dirname, "../scripts/backup.ts")],
        { cwd, env: { PATH: process.env.PATH, DATABASE_URL: `file:${file}` } },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    const copy = join(cwd, "data", "backups", readdirSync(join(cwd, "data", "backups"))[0]!);
    writing = false;
    await writer;
    await closeDatabase(db);
    const check = new Database(copy, { readonly: true });
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    const copied = (check.prepare("SELECT COUNT(*) AS n FROM User").get() as { n: number }).n;
    check.close();
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThanOrEqual(written);
  });
});
