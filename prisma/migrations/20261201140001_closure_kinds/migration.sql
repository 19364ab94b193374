-- Closures: a range of days (until), a kind users read in their own language, a note for staff only; the reason typed before kinds is kept for old closures.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_HotlineClosure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "date" TEXT NOT NULL,
    "until" TEXT,
    "from" TEXT,
    "to" TEXT,
    "kind" TEXT,
    "reason" TEXT,
    "note" TEXT,
    "createdBy" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_HotlineClosure" ("createdAt", "createdBy", "date", "from", "id", "reason", "to") SELECT "createdAt", "createdBy", "date", "from", "id", "reason", "to" FROM "HotlineClosure";
DROP TABLE "HotlineClosure";
ALTER TABLE "new_HotlineClosure" RENAME TO "HotlineClosure";
CREATE INDEX "HotlineClosure_date_idx" ON "HotlineClosure"("date");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
