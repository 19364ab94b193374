import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";
import { startCheckpointer, type Checkpointer } from "./checkpointer.js";
import { migrateDatabase } from "./migrate.js";
import { sqliteFilePath } from "./url.js";

export type Database = PrismaClient;

const checkpointers = new WeakMap<Database, Checkpointer>();

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
  checkpointers.set(prisma, startCheckpointer(file, restoreAutocheckpoint));
  return prisma;
}

/** Finishes the last checkpoint and disconnects. */
export async function closeDatabase(db: Database): Promise<void> {
  await checkpointers.get(db)?.stop();
  await db.$disconnect();
}
