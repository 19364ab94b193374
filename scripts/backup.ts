/** `npm run backup`: a consistent copy of the database (also while the bot runs) into data/backups/. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DateTime } from "luxon";
import { backupDatabase } from "../src/db/backup.js";
import { DEFAULT_DATABASE_URL, sqliteFilePath } from "../src/db/url.js";

if (existsSync(".env")) process.loadEnvFile(".env");
const file = sqliteFilePath(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
if (!existsSync(file)) {
  console.error(`No database at ${file}: start the bot once, or set DATABASE_URL.`);
  process.exit(1);
}
const destination = join("data", "backups", `hamroh-${DateTime.now().toFormat("yyyyMMdd-HHmmss")}.db`);
backupDatabase(file, destination);
console.log(`Backup written to ${destination}`);
