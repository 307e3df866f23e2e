-- AlterTable
ALTER TABLE "Trial" ADD COLUMN "queue" TEXT NOT NULL DEFAULT 'trials';
