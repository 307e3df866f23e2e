// The trial read model for the API (the transitions live in lease.ts, reconcile.ts and lifecycle.ts).
import type { Db } from '../client.js';

/** A trial with its epochs, artifacts and the cells that hold it; with `projectId`, only that project's cells. */
export async function getTrial(db: Db, trialId: string, projectId?: string) {
  return db.trial.findUnique({
    where: { id: trialId },
    include: {
      epochs: { orderBy: { epoch: 'asc' } },
      artifacts: { select: { id: true, kind: true, uri: true, createdAt: true } },
      cells: { where: projectId ? { sweep: { projectId } } : {}, select: { sweepId: true, labels: true } },
    },
  });
}

export async function getArtifact(db: Db, trialId: string, id: bigint) {
  return db.artifact.findFirst({ where: { id, trialId } });
}
