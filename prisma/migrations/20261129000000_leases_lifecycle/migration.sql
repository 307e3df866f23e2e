-- Exactly-once trials: leases (owner, token, expiry) fencing every write of an attempt, delivery generations (the
-- queue's job id is trial id + generation), the sweep lifecycle (priority, pause, cancel requests), interleaved
-- delivery order, stored checkpoints, workers with heartbeats, and idempotent sweep submission.

-- AlterEnum
ALTER TYPE "SweepStatus" ADD VALUE 'paused';

-- AlterTable
ALTER TABLE "Sweep" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "paused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "cancelledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Trial" ADD COLUMN "generation" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "dispatchedGeneration" INTEGER NOT NULL DEFAULT -1,
ADD COLUMN "dispatchedAt" TIMESTAMP(3),
ADD COLUMN "leaseToken" TEXT,
ADD COLUMN "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN "stopRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "interruptions" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "leaseLosses" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "claims" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "checkpointKey" TEXT,
ADD COLUMN "checkpointEpochs" INTEGER,
ADD COLUMN "checkpointBatches" INTEGER,
ADD COLUMN "checkpointAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SweepTrial" ADD COLUMN "rank" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "backend" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "queues" TEXT[],
    "versions" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'idle',
    "reason" TEXT,
    "trialId" TEXT,
    "drain" BOOLEAN NOT NULL DEFAULT false,
    "trialsDone" INTEGER NOT NULL DEFAULT 0,
    "trialsFailed" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "key" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "statusCode" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("route","key")
);

-- One artifact per kind per trial: a retried or late attempt replaces, never duplicates.
DELETE FROM "Artifact" a USING "Artifact" b WHERE a."trialId" = b."trialId" AND a.kind = b.kind AND a.id < b.id;
DROP INDEX "Artifact_trialId_kind_idx";
CREATE UNIQUE INDEX "Artifact_trialId_kind_key" ON "Artifact"("trialId", "kind");

-- CreateIndex
CREATE INDEX "Trial_status_leaseExpiresAt_idx" ON "Trial"("status", "leaseExpiresAt");
CREATE INDEX "Worker_lastSeen_idx" ON "Worker"("lastSeen");
CREATE INDEX "Sweep_status_idx" ON "Sweep"("status");
