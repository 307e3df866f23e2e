// `npm run keys`: the real command on the test database; the keys it makes and the limits it sets hold at the API.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, useTestApp } from '../../../tests/helpers/index.js';

const testbed = useTestApp();
const exec = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function keys(args: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: testbed.env.databaseUrl }): Promise<Result> {
  try {
    const r = await exec(process.execPath, ['--import', 'tsx', 'apps/api/src/keys-cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
    });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const spec = (name: string, epochs = 1) => ({
  name,
  base: { dataset: { name: 'procedural', trainSize: 64, testSize: 32, imageSize: 8 }, model: 'tiny_cnn', optimizer: 'sgd', epochs },
});
const post = (key: string, body: object) =>
  testbed.app.inject({ method: 'POST', url: '/sweeps', headers: { authorization: `Bearer ${key}` }, payload: body });

describe('npm run keys', () => {
  it('create prints only the key on stdout (npm run -s), and the key works at the API', async () => {
    const r = await exec('npm', ['run', '-s', 'keys', '--', 'create', '--project', 'lab', '--scope', 'write', '--name', 'ci'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testbed.env.databaseUrl },
    });
    const key = r.stdout.trim();
    expect(r.stdout).toBe(`${key}\n`);
    expect(key).toMatch(/^abl_[0-9a-f]{12}_[A-Za-z0-9_-]+$/);
    expect(r.stderr).toMatch(/Created write key [0-9a-f]{12} for project 'lab'\. This is the only time the key is shown/);
    const created = await post(key, spec('from the cli'));
    expect(created.statusCode, created.body).toBe(201);
    expect((await testbed.env.db.sweep.findUniqueOrThrow({ where: { id: created.json().id } })).projectId).toBe('lab');
  });

  it('lists keys (never their values) and revokes one: its requests then answer 401', async () => {
    const made = await keys(['create', '--project', 'revoking', '--scope', 'admin']);
    expect(made.code, made.stderr).toBe(0);
    const key = made.stdout.trim();
    const keyId = key.split('_')[1]!;
    expect((await post(key, spec('before revoke'))).statusCode).toBe(201);

    const list = await keys(['list', '--project', 'revoking']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^ID +PROJECT +SCOPE +NAME +CREATED +STATE\\n${keyId} +revoking +admin .*live\\n$`));
    expect(list.stdout).not.toContain(key);
    expect((await keys(['list'])).stdout).toContain(keyId);

    const revoked = await keys(['revoke', keyId]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await post(key, spec('after revoke'));
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('AUTH_ERR_INVALID');
    expect((await keys(['list', '--project', 'revoking'])).stdout).toMatch(/revoked \d{4}-/);
    const again = await keys(['revoke', keyId]);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toContain(`no live key '${keyId}'`);
  });

  it('sets limits that the API enforces at once, shows them, and unsets them', async () => {
    const key = (await keys(['create', '--project', 'limited', '--scope', 'write'])).stdout.trim();
    const set = await keys(['limits', '--project', 'limited', '--set', 'epochsPerTrial=3', '--set', 'writesPerMinute=1_000']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/epochsPerTrial +3 +set \(default 1,000\)/);
    expect(set.stdout).toMatch(/writesPerMinute +1,000 +set \(default 60\)/);
    expect(set.stdout).toMatch(/trialsPerSweep +10,000 +default/);

    const over = await post(key, spec('over', 4));
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({
      code: 'QUOTA_ERR_EPOCHS_PER_TRIAL',
      message: expect.stringContaining("project 'limited' allows 3 per trial (limit epochsPerTrial)"),
    });
    expect((await post(key, spec('at', 3))).statusCode).toBe(201);

    const show = await keys(['limits', '--project', 'limited']);
    expect(show.stdout).toMatch(/epochsPerTrial +3 +set/);
    const unset = await keys(['limits', '--project', 'limited', '--unset', 'epochsPerTrial']);
    expect(unset.stdout).toMatch(/epochsPerTrial +1,000 +default/);
    expect(unset.stdout).toMatch(/writesPerMinute +1,000 +set/);
    expect((await post(key, spec('over again', 4))).statusCode).toBe(201);
  });

  it('refuses bad input with a readable message and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['limits', '--project', 'x', '--set', 'epochs=5'], /unknown limit 'epochs'\. Did you mean 'epochsPerTrial'\?/],
      [['limits', '--project', 'x', '--set', 'trialsPerSweep=20000'], /trialsPerSweep: .*10000/],
      [['limits', '--project', 'x', '--set', 'imageSize=big'], /imageSize: .*number/],
      [['create', '--project', 'x', '--scope', 'owner'], /--scope must be one of read, write, admin \(got 'owner'\)/],
      [['create', '--scope', 'read'], /--project NAME is required/],
      [['create', '--project', '../x', '--scope', 'read'], /project name '\.\.\/x' is not valid/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['list', '--bogus'], /Unknown option '--bogus'/],
      [['revoke'], /revoke takes one KEYID/],
      [[], /usage: npm run keys/],
    ];
    const results = await Promise.all(cases.map(([args]) => keys(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(await testbed.env.db.project.findUnique({ where: { id: 'x' } })).toBeNull();
  });

  it('says what is wrong with DATABASE_URL', async () => {
    const missing = await keys(['list'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('DATABASE_URL is not set');
    const down = await keys(['list'], { DATABASE_URL: 'postgresql://someone:secret@127.0.0.1:1/ablate' });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach the database at postgresql://someone:***@127.0.0.1:1/ablate');
    expect(down.stderr).not.toContain('secret');
  });
});
