import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";

/**
 * A consistent copy of the database while the bot keeps running. `VACUUM INTO` reads one
 * snapshot (WAL lets the bot go on writing meanwhile) and writes a compact copy; SQLite's
 * page-by-page backup API would start over on every write and might never finish.
 */
export function backupDatabase(file: string, destination: string): void {
  mkdirSync(dirname(destination), { recursive: true });
  const db = new Database(file, { readonly: true, timeout: 5000 });
  try {
    db.prepare("VACUUM INTO ?").run(destination);
  } finally {
    db.close();
  }
}

const BACKUP_NAME = /^hamroh-\d{8}-\d{6}-\d{3}(-\d+)?\.db$/;

/**
 * Writes a new backup into `folder` under a name that sorts by time and never collides (a
 * counter is added when two backups fall in the same millisecond), then keeps only the newest
 * `keep`. Backups hold erased users' data until they are rotated out.
 */
export function backupWithRotation(file: string, folder: string, keep: number, now: Date): { written: string; removed: string[] } {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace("T", "-")
    .replace(/\.(\d{3})Z$/, "-$1");
  mkdirSync(folder, { recursive: true });
  const existing = new Set(readdirSync(folder));
  let name = `hamroh-${stamp}.db`;
  for (let n = 2; existing.has(name); n++) name = `hamroh-${stamp}-${n}.db`;
  const written = join(folder, name);
  backupDatabase(file, written);
  const backups = readdirSync(folder)
    .filter((entry) => BACKUP_NAME.test(entry))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const removed = backups.slice(0, Math.max(0, backups.length - keep)).map((entry) => join(folder, entry));
  for (const path of removed) rmSync(path, { force: true });
  return { written, removed };
}
