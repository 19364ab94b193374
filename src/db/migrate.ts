import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { projectPath } from "../shared/paths.js";

/** The committed migrations, next to the schema. */
export const migrationsDir = () => projectPath("prisma/migrations");

/**
 * Applies every committed migration that the database file lacks, recording each in
 * Prisma's own `_prisma_migrations` table so that `prisma migrate` keeps working on the
 * same file. Runs at every start (and per test database) without spawning the Prisma CLI.
 * Also switches the file to WAL, which persists in the file.
 */
export function migrateDatabase(filePath: string, migrations = migrationsDir()): string[] {
  mkdirSync(dirname(filePath), { recursive: true });
  const db = new Database(filePath);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const applied = new Set(
      db
        .prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all()
        .map((row) => (row as { migration_name: string }).migration_name),
    );
    const pending = readdirSync(migrations, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(migrations, entry.name, "migration.sql")))
      .map((entry) => entry.name)
      .sort()
      .filter((name) => !applied.has(name));
    const record = db.prepare(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES (?, ?, ?, ?, ?, 1)`,
    );
    // Prisma's SQLite migrations rebuild tables (DROP + RENAME) with foreign keys switched off;
    // that switch is ignored inside a transaction, so it is done here, around it: otherwise
    // dropping a table would cascade-delete the rows that refer to it.
    db.pragma("foreign_keys = OFF");
    for (const name of pending) {
      const sql = readFileSync(join(migrations, name, "migration.sql"), "utf8");
      const startedAt = new Date().toISOString();
      db.transaction(() => {
        db.exec(sql);
        const broken = db.pragma("foreign_key_check") as unknown[];
        if (broken.length > 0) throw new Error(`Migration ${name} leaves ${broken.length} rows with broken references`);
        record.run(randomUUID(), createHash("sha256").update(sql).digest("hex"), new Date().toISOString(), name, startedAt);
      })();
    }
    db.pragma("foreign_keys = ON");
    return pending;
  } finally {
    db.close();
  }
}
