-- CreateTable
CREATE TABLE "ConsultationRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "topic" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "city" TEXT,
    "question" TEXT NOT NULL,
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
    CONSTRAINT "ConsultationRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RequestAttachment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "staffMessageId" INTEGER,
    CONSTRAINT "RequestAttachment_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ConsultationRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RequestMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "staffChatMessageId" INTEGER,
    "userChatMessageId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RequestMessage_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ConsultationRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxTask" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "requestId" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME,
    "lastError" TEXT
);

-- CreateTable
CREATE TABLE "ConversationState" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ConsultationRequest_userId_status_idx" ON "ConsultationRequest"("userId", "status");

-- CreateIndex
CREATE INDEX "ConsultationRequest_status_idx" ON "ConsultationRequest"("status");

-- CreateIndex
CREATE INDEX "RequestMessage_requestId_idx" ON "RequestMessage"("requestId");

-- CreateIndex
CREATE INDEX "RequestMessage_staffChatMessageId_idx" ON "RequestMessage"("staffChatMessageId");

-- CreateIndex
CREATE INDEX "RequestMessage_userChatMessageId_idx" ON "RequestMessage"("userChatMessageId");

-- CreateIndex
CREATE INDEX "OutboxTask_doneAt_runAt_idx" ON "OutboxTask"("doneAt", "runAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxTask_kind_requestId_key" ON "OutboxTask"("kind", "requestId");

