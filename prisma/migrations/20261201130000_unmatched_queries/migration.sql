-- Searches that found nothing: a salted hash and counts, the text only once 3 different people typed it.
CREATE TABLE "UnmatchedQuery" (
    "queryHash" TEXT NOT NULL PRIMARY KEY,
    "text" TEXT,
    "count" INTEGER NOT NULL DEFAULT 0,
    "people" INTEGER NOT NULL DEFAULT 0,
    "locale" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL
);
CREATE INDEX "UnmatchedQuery_firstSeenAt_idx" ON "UnmatchedQuery"("firstSeenAt");
CREATE TABLE "UnmatchedQueryPerson" (
    "queryHash" TEXT NOT NULL,
    "personHash" TEXT NOT NULL,

    PRIMARY KEY ("queryHash", "personHash"),
    CONSTRAINT "UnmatchedQueryPerson_queryHash_fkey" FOREIGN KEY ("queryHash") REFERENCES "UnmatchedQuery" ("queryHash") ON DELETE CASCADE ON UPDATE CASCADE
);
