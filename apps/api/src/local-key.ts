// The key a local stack hands to its CLI and dashboard: kept in a file only this user can read, replaced when the key
// in it no longer works (revoked, or a fresh database).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createApiKey, type Db, findApiKey } from '@ablate/db';

export async function ensureLocalKey(db: Db, file: string): Promise<'kept' | 'created'> {
  const existing = await readFile(file, 'utf8').then(
    (s) => s.trim(),
    () => '',
  );
  if (existing && (await findApiKey(db, existing))) return 'kept';
  const { key } = await createApiKey(db, { projectId: 'default', scope: 'admin', name: 'local stack' });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return 'created';
}
