-- Trial events for live progress (GET /sweeps/:id/events, Server-Sent Events): written by triggers in the same
-- transaction as the change they describe, so any API instance can serve them and Last-Event-ID resumes without loss.

-- CreateTable
CREATE TABLE "TrialEvent" (
    "id" BIGSERIAL NOT NULL,
    "trialId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrialEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrialEvent_trialId_id_idx" ON "TrialEvent"("trialId", "id");

-- AddForeignKey
ALTER TABLE "TrialEvent" ADD CONSTRAINT "TrialEvent_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A status change: started (→ running), finished (→ done), failed, cancelled, requeued (running → queued).
CREATE FUNCTION ablate_trial_event() RETURNS trigger AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    INSERT INTO "TrialEvent" ("trialId", type, data) VALUES (NEW.id,
      CASE NEW.status::text WHEN 'running' THEN 'started' WHEN 'done' THEN 'finished' WHEN 'failed' THEN 'failed'
                            WHEN 'cancelled' THEN 'cancelled' ELSE 'requeued' END,
      jsonb_strip_nulls(jsonb_build_object('status', NEW.status::text, 'from', OLD.status::text, 'workerId', NEW."workerId",
        'attempt', NEW.claims, 'testTop1', NEW."testTop1", 'error', NEW.error -> 'code')));
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER ablate_trial_event AFTER UPDATE OF status ON "Trial" FOR EACH ROW EXECUTE FUNCTION ablate_trial_event();

-- An epoch written (or rewritten by a resumed attempt).
CREATE FUNCTION ablate_epoch_event() RETURNS trigger AS $$
BEGIN
  INSERT INTO "TrialEvent" ("trialId", type, data) VALUES (NEW."trialId", 'epoch',
    jsonb_build_object('epoch', NEW.epoch, 'testTop1', NEW."testTop1", 'trainLoss', NEW."trainLoss", 'seconds', NEW.seconds, 'attempt', NEW.attempt));
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER ablate_epoch_event AFTER INSERT OR UPDATE ON "EpochMetric" FOR EACH ROW EXECUTE FUNCTION ablate_epoch_event();
