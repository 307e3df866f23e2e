// The trial read model for the API (the transitions live in lease.ts, reconcile.ts and lifecycle.ts).
import type { Db } from '../client.js';

export async function getTrial(db: Db, trialId: string) {
  return db.trial.findUnique({
    where: { id: trialId },
    include: {
      epochs: { orderBy: { epoch: 'asc' } },
      artifacts: { select: { id: true, kind: true, uri: true, createdAt: true } },
      cells: { select: { sweepId: true, labels: true } },
    },
  });
}

export async function getArtifact(db: Db, trialId: string, id: bigint) {
  return db.artifact.findFirst({ where: { id, trialId } });
}
