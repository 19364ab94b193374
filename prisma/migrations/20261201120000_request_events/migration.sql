-- The card's history: who took, answered or handed over a request, and when.
CREATE TABLE "RequestEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "lawyerName" TEXT,
    "detail" TEXT,
    "at" DATETIME NOT NULL,
    CONSTRAINT "RequestEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ConsultationRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "RequestEvent_requestId_idx" ON "RequestEvent"("requestId");
