// The error catalogue, its documentation and the codes workers write stay in step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError, errorCodes } from '../src/errors.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it('documents every API code with its status in docs/errors.md', () => {
    for (const [code, { status }] of Object.entries(errorCodes)) {
      expect(doc, code).toContain(`| \`${code}\` | ${status} |`);
    }
  });

  it('builds errors whose code and status come from the catalogue', () => {
    const e = new ApiError('SWEEP_ERR_NOT_FOUND');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ApiError');
    expect([e.code, e.statusCode, e.message]).toEqual(['SWEEP_ERR_NOT_FOUND', 404, errorCodes.SWEEP_ERR_NOT_FOUND.message]);
  });

  it('documents every trial failure code the engine and worker can write', () => {
    const sources = [
      'packages/core/src/errors.ts',
      'packages/spec/src/errors.ts',
      'apps/worker/src/attempt.ts',
      'apps/worker/src/infra-retry.ts',
      'packages/db/src/queries/lease.ts',
      'packages/db/src/queries/reconcile.ts',
      'packages/db/src/queries/lifecycle.ts',
      'apps/worker/src/trainer/spawn.ts',
      'apps/worker/src/trainer/child.ts',
      'apps/worker/src/main.ts',
    ]
      .map((p) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8'))
      .join('\n');
    const codes = new Set([...sources.matchAll(/'(ERR_[A-Z_]+)'/g)].map((m) => m[1]!));
    expect(codes.size).toBeGreaterThan(5);
    for (const code of codes) expect(doc, code).toContain(`\`${code}\``);
  });
});
