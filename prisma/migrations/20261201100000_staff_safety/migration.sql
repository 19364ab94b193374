-- Cards and relayed messages remember their staff group; drafts get an id; the daily request
-- limit survives erasure (hashed ids only); what the staff group holds about an erased user is
-- cleaned up through a persisted task list.
ALTER TABLE "ConsultationRequest" ADD COLUMN "staffChatId" BIGINT;
ALTER TABLE "ConsultationRequest" ADD COLUMN "draftId" TEXT;
CREATE UNIQUE INDEX "ConsultationRequest_draftId_key" ON "ConsultationRequest"("draftId");
ALTER TABLE "RequestMessage" ADD COLUMN "staffChatId" BIGINT;

CREATE TABLE "RequestQuota" (
    "userHash" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL,
    "windowStart" DATETIME NOT NULL
);

CREATE TABLE "StaffCleanup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "messageId" INTEGER,
    "threadId" INTEGER,
    "requestId" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME,
    "result" TEXT
);
CREATE INDEX "StaffCleanup_doneAt_runAt_idx" ON "StaffCleanup"("doneAt", "runAt");

CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);
