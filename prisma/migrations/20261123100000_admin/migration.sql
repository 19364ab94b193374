-- AlterTable
ALTER TABLE "User" ADD COLUMN "noticesOff" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "HotlineClosure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "date" TEXT NOT NULL,
    "from" TEXT,
    "to" TEXT,
    "reason" TEXT NOT NULL,
    "createdBy" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "HotlineClosure_date_idx" ON "HotlineClosure"("date");
