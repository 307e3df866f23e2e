// Projects and API keys. A key is `abl_<id>_<secret>`; only its SHA-256 is stored, so a leaked database gives no key.
// Scopes are ordered: read < write < admin.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../client.js';

export const KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface KeyIdentity {
  keyId: string;
  projectId: string;
  scope: KeyScope;
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Whether `scope` may do what `needed` allows. */
export function scopeAllows(scope: KeyScope, needed: KeyScope): boolean {
  return KEY_SCOPES.indexOf(scope) >= KEY_SCOPES.indexOf(needed);
}

export async function ensureProject(db: Db, id: string): Promise<void> {
  await db.project.upsert({ where: { id }, create: { id }, update: {} });
}

/** Creates a key (and its project when missing); the key itself is returned once and never stored. */
export async function createApiKey(db: Db, o: { projectId: string; scope: KeyScope; name?: string }): Promise<KeyIdentity & { key: string }> {
  await ensureProject(db, o.projectId);
  const keyId = randomBytes(6).toString('hex');
  const key = `abl_${keyId}_${randomBytes(24).toString('base64url')}`;
  await db.apiKey.create({ data: { id: keyId, projectId: o.projectId, scope: o.scope, hash: hashKey(key), name: o.name ?? null } });
  return { key, keyId, projectId: o.projectId, scope: o.scope };
}

/** The live (not revoked) key with this value, or null. */
export async function findApiKey(db: Db, key: string): Promise<KeyIdentity | null> {
  const k = await db.apiKey.findUnique({ where: { hash: hashKey(key) }, select: { id: true, projectId: true, scope: true, revokedAt: true } });
  if (!k || k.revokedAt) return null;
  return { keyId: k.id, projectId: k.projectId, scope: k.scope as KeyScope };
}

/** Revokes a key of the project (any project when `projectId` is undefined); false when there is no such live key. */
export async function revokeApiKey(db: Db, keyId: string, projectId?: string): Promise<boolean> {
  const r = await db.apiKey.updateMany({
    where: { id: keyId, revokedAt: null, ...(projectId ? { projectId } : {}) },
    data: { revokedAt: new Date() },
  });
  return r.count > 0;
}

export function listApiKeys(db: Db, projectId?: string) {
  return db.apiKey.findMany({
    where: projectId ? { projectId } : {},
    orderBy: { createdAt: 'asc' },
    select: { id: true, projectId: true, scope: true, name: true, createdAt: true, revokedAt: true },
  });
}

/** Whether a trial is visible to a project: some sweep of the project holds it (trials are shared, views are not). */
export async function trialVisible(db: Db, trialId: string, projectId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ ok: number }[]>`
    SELECT 1 AS ok FROM "SweepTrial" st JOIN "Sweep" s ON s.id = st."sweepId"
    WHERE st."trialId" = ${trialId} AND s."projectId" = ${projectId} LIMIT 1`;
  return rows.length > 0;
}
