// Which API key the CLI sends: --api-key, else $ABLATE_API_KEY, else the key a local server (`npm start`, the demo)
// wrote to <home>/api-key (home: $ABLATE_HOME or .ablate in the current folder), else none.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where a local stack keeps the admin key it made for this machine's CLI and dashboard (mode 600). */
export const localKeyFile = (home: string) => join(home, 'api-key');

export function resolveApiKey(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag) return flag;
  if (env.ABLATE_API_KEY) return env.ABLATE_API_KEY;
  try {
    return readFileSync(localKeyFile(resolve(env.ABLATE_HOME ?? '.ablate')), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
