// Idempotency-Key for POSTs: the first answer is stored with the key (in the same transaction as what it created), and
// a repeat with the same key and body gets that answer again instead of creating a second sweep.
import { createHash } from 'node:crypto';
import type { Db, Prisma } from '../client.js';

export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

export type StoredAnswer = { statusCode: number; response: unknown; requestHash: string };

export async function findIdempotent(db: Db, route: string, key: string): Promise<StoredAnswer | null> {
  const row = await db.idempotencyKey.findUnique({ where: { route_key: { route, key } } });
  return row ? { statusCode: row.statusCode, response: row.response, requestHash: row.requestHash } : null;
}

/** Inside the transaction that did the work: a concurrent duplicate fails on the primary key and rolls back. */
export async function storeIdempotent(tx: Db, route: string, key: string, a: StoredAnswer): Promise<void> {
  await tx.idempotencyKey.create({
    data: { route, key, requestHash: a.requestHash, statusCode: a.statusCode, response: a.response as Prisma.InputJsonValue },
  });
}
