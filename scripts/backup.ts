/** `npm run backup`: a consistent copy of the database (also while the bot runs) into data/backups/, keeping the newest BACKUP_KEEP. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { backupWithRotation } from "../src/db/backup.js";
import { DEFAULT_DATABASE_URL, sqliteFilePath } from "../src/db/url.js";

if (existsSync(".env")) process.loadEnvFile(".env");
const file = sqliteFilePath(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
if (!existsSync(file)) {
  console.error(`No database at ${file}: start the bot once, or set DATABASE_URL.`);
  process.exit(1);
}
const keep = Number(process.env.BACKUP_KEEP || 7);
if (!Number.isInteger(keep) || keep < 1) {
  console.error(`BACKUP_KEEP must be a whole number of backups to keep, 1 or more (it is "${process.env.BACKUP_KEEP}").`);
  process.exit(1);
}
const { written, removed } = backupWithRotation(file, join("data", "backups"), keep, new Date());
console.log(`Backup written to ${written}${removed.length > 0 ? `; ${removed.length} older removed (keeping ${keep})` : ""}`);
