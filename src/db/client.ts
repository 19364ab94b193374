import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";
import { type Checkpointer, startCheckpointer } from "./checkpointer.js";
import { migrateDatabase } from "./migrate.js";
import { sqliteFilePath } from "./url.js";

export type Database = PrismaClient;

const opened = new WeakMap<Database, { file: string; checkpointer: Checkpointer; closers: (() => void)[] }>();

/**
 * Opens the SQLite database at `url` (a `file:` URL), first bringing its schema up to date.
 * Close it with `closeDatabase`.
 */
export async function openDatabase(url: string): Promise<Database> {
  const file = sqliteFilePath(url);
  migrateDatabase(file);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 5000 }) });
  // WAL is set on the file by the migration step; NORMAL sync is safe with WAL and much faster.
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  // Checkpoints run in a worker thread (see checkpointer.ts); if it fails, this connection takes over.
  await prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  const restoreAutocheckpoint = () => void prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 1000").catch(() => undefined);
  opened.set(prisma, { file, checkpointer: startCheckpointer(file, restoreAutocheckpoint), closers: [] });
  return prisma;
}

/** The file of a database opened with openDatabase, for a side connection. */
export function databaseFile(db: Database): string {
  const entry = opened.get(db);
  if (!entry) throw new Error("databaseFile() needs a database opened with openDatabase()");
  return entry.file;
}

/** Runs `close` (a side connection's) when the database is closed. */
export function onDatabaseClose(db: Database, close: () => void): void {
  opened.get(db)?.closers.push(close);
}

/** Finishes the last checkpoint and disconnects. */
export async function closeDatabase(db: Database): Promise<void> {
  const entry = opened.get(db);
  for (const close of entry?.closers ?? []) close();
  await entry?.checkpointer.stop();
  await db.$disconnect();
}
