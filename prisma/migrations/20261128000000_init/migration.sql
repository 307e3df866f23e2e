-- CreateEnum
CREATE TYPE "SweepStatus" AS ENUM ('queued', 'running', 'done', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "TrialStatus" AS ENUM ('queued', 'running', 'done', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "resolved" JSONB NOT NULL,
    "status" "SweepStatus" NOT NULL DEFAULT 'queued',
    "backend" TEXT NOT NULL DEFAULT 'any',
    "trialCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Trial" (
    "id" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "seed" INTEGER NOT NULL,
    "status" "TrialStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "backend" TEXT,
    "device" TEXT,
    "runtime" JSONB,
    "finalMetrics" JSONB,
    "testTop1" DOUBLE PRECISION,
    "error" JSONB,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Trial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SweepTrial" (
    "sweepId" TEXT NOT NULL,
    "trialId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "labels" JSONB NOT NULL,

    CONSTRAINT "SweepTrial_pkey" PRIMARY KEY ("sweepId","trialId")
);

-- CreateTable
CREATE TABLE "EpochMetric" (
    "id" BIGSERIAL NOT NULL,
    "trialId" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "trainLoss" DOUBLE PRECISION NOT NULL,
    "trainAcc" DOUBLE PRECISION NOT NULL,
    "testLoss" DOUBLE PRECISION NOT NULL,
    "testTop1" DOUBLE PRECISION NOT NULL,
    "testTop5" DOUBLE PRECISION NOT NULL,
    "lr" DOUBLE PRECISION NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "attempt" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EpochMetric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Artifact" (
    "id" BIGSERIAL NOT NULL,
    "trialId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "data" JSONB,
    "uri" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Artifact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Trial_status_idx" ON "Trial"("status");

-- CreateIndex
CREATE INDEX "Trial_groupKey_idx" ON "Trial"("groupKey");

-- CreateIndex
CREATE INDEX "SweepTrial_trialId_idx" ON "SweepTrial"("trialId");

-- CreateIndex
CREATE UNIQUE INDEX "EpochMetric_trialId_epoch_key" ON "EpochMetric"("trialId", "epoch");

-- CreateIndex
CREATE INDEX "Artifact_trialId_kind_idx" ON "Artifact"("trialId", "kind");

-- AddForeignKey
ALTER TABLE "SweepTrial" ADD CONSTRAINT "SweepTrial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SweepTrial" ADD CONSTRAINT "SweepTrial_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EpochMetric" ADD CONSTRAINT "EpochMetric_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Artifact" ADD CONSTRAINT "Artifact_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;
