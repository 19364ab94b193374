import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";
import { migrateDatabase } from "./migrate.js";
import { sqliteFilePath } from "./url.js";

export type Database = PrismaClient;

/**
 * Opens the SQLite database at `url` (a `file:` URL), first bringing its schema up to date.
 * The caller owns the client and must `$disconnect()` it on shutdown.
 */
export async function openDatabase(url: string): Promise<Database> {
  migrateDatabase(sqliteFilePath(url));
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 5000 }) });
  // WAL is set on the file by the migration step; NORMAL sync is safe with WAL and much faster.
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  return prisma;
}
