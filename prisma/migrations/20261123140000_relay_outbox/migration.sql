-- Relays are saved before they are sent (the relay outbox); where a card or an attachment sent
-- but never recorded is looked for after a crash.
ALTER TABLE "ConsultationRequest" ADD COLUMN "cardAfterMessageId" INTEGER;
ALTER TABLE "RequestAttachment" ADD COLUMN "sentAfterMessageId" INTEGER;
ALTER TABLE "RequestMessage" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'delivered';
ALTER TABLE "RequestMessage" ADD COLUMN "text" TEXT;
ALTER TABLE "RequestMessage" ADD COLUMN "media" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "RequestMessage" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RequestMessage" ADD COLUMN "runAt" DATETIME;
CREATE INDEX "RequestMessage_status_idx" ON "RequestMessage"("status");
