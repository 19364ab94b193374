-- The help directory's anonymous counts: how often each service was shown to users and referred by lawyers.
CREATE TABLE "DirectoryCount" (
    "serviceId" TEXT NOT NULL PRIMARY KEY,
    "shown" INTEGER NOT NULL DEFAULT 0,
    "referred" INTEGER NOT NULL DEFAULT 0
);
