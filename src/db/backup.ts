import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
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
