-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ConsultationRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER,
    "topic" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "city" TEXT,
    "question" TEXT NOT NULL,
    "erasedAt" DATETIME,
    "replyVia" TEXT NOT NULL,
    "phone" TEXT,
    "language" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "lawyerId" BIGINT,
    "lawyerName" TEXT,
    "takenAt" DATETIME,
    "firstReplyAt" DATETIME,
    "closedAt" DATETIME,
    "outcome" TEXT,
    "rating" INTEGER,
    "staffMessageId" INTEGER,
    "staffThreadId" INTEGER,
    "announcedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsultationRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ConsultationRequest" ("announcedAt", "city", "closedAt", "country", "createdAt", "firstReplyAt", "id", "language", "lawyerId", "lawyerName", "outcome", "phone", "question", "rating", "replyVia", "staffMessageId", "staffThreadId", "status", "takenAt", "topic", "urgent", "userId") SELECT "announcedAt", "city", "closedAt", "country", "createdAt", "firstReplyAt", "id", "language", "lawyerId", "lawyerName", "outcome", "phone", "question", "rating", "replyVia", "staffMessageId", "staffThreadId", "status", "takenAt", "topic", "urgent", "userId" FROM "ConsultationRequest";
DROP TABLE "ConsultationRequest";
ALTER TABLE "new_ConsultationRequest" RENAME TO "ConsultationRequest";
CREATE INDEX "ConsultationRequest_userId_status_idx" ON "ConsultationRequest"("userId", "status");
CREATE INDEX "ConsultationRequest_status_idx" ON "ConsultationRequest"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

