-- Rules differ by citizenship: the user's is stored once asked, and each request keeps it for the lawyer.
ALTER TABLE "User" ADD COLUMN "citizenship" TEXT;
ALTER TABLE "ConsultationRequest" ADD COLUMN "citizenship" TEXT;
