// A project's quotas: `Project.limits` holds only what differs from DEFAULT_LIMITS (every field optional), each value
// validated by ProjectLimits and never above the hard cap the spec itself enforces.
import { type Db, ensureProject, type Prisma } from '@ablate/db';
import { MAX_LABEL_LENGTH, MAX_NAME_LENGTH, MAX_TRIALS_PER_SWEEP } from '@ablate/spec';
import { z } from 'zod';

/** TrialConfig's own cap on epochs (packages/spec/src/config/trial-config.ts). */
const MAX_EPOCHS = 10_000;

const count = (max: number) => z.number().int().min(1).max(max);

export const ProjectLimits = z
  .object({
    /** Trials one sweep may expand to (the planner's hard cap, MAX_TRIALS_PER_SWEEP, stays above it). */
    trialsPerSweep: count(MAX_TRIALS_PER_SWEEP),
    /** Queued and running trials of all the project's sweeps together (a trial shared by two sweeps counts once). */
    queuedTrials: count(10_000_000),
    epochsPerTrial: count(MAX_EPOCHS),
    /** Train + test examples one trial's dataset may hold (after `subset`); image_folder counts only through `subset`. */
    datasetSize: count(10_000_000),
    /** Side of the images a trial trains on, in pixels (imageSize, size, padTo, or the dataset's own). */
    imageSize: count(512),
    nameLength: count(MAX_NAME_LENGTH),
    /** Axis value and variant labels (the table headings). */
    labelLength: count(MAX_LABEL_LENGTH),
    /** POST, PATCH and DELETE requests per minute, per API key (GETs are not limited). */
    writesPerMinute: count(100_000),
  })
  .partial()
  .strict();
export type ProjectLimits = z.output<typeof ProjectLimits>;
export type Limits = Required<ProjectLimits>;
export type LimitName = keyof Limits;

export const DEFAULT_LIMITS = {
  trialsPerSweep: MAX_TRIALS_PER_SWEEP,
  queuedTrials: 50_000,
  epochsPerTrial: 1_000,
  datasetSize: 500_000,
  imageSize: 256,
  nameLength: MAX_NAME_LENGTH,
  labelLength: MAX_LABEL_LENGTH,
  writesPerMinute: 60,
} satisfies Limits;

export const LIMIT_NAMES = Object.keys(ProjectLimits.shape) as LimitName[];

/** The largest value each limit may be set to. */
export const LIMIT_CAPS = Object.fromEntries(
  LIMIT_NAMES.map((n) => [n, (ProjectLimits.shape[n].unwrap() as z.ZodNumber).maxValue ?? Number.MAX_SAFE_INTEGER]),
) as Limits;

export class UnknownLimitError extends Error {
  readonly code = 'QUOTA_ERR_UNKNOWN_LIMIT';
  constructor(name: string) {
    const near = LIMIT_NAMES.filter((n) => n.toLowerCase().includes(name.toLowerCase().slice(0, 4)) || editDistance(n, name) <= 3);
    super(
      `unknown limit '${name}'.${near.length ? ` Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : ''} Limits: ${LIMIT_NAMES.join(', ')}`,
    );
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** A limit's name as given (case-insensitive), or UnknownLimitError with the closest names. */
export function limitName(name: string): LimitName {
  const found = LIMIT_NAMES.find((n) => n.toLowerCase() === name.toLowerCase());
  if (!found) throw new UnknownLimitError(name);
  return found;
}

function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[y.length]!;
}

/**
 * What a project stored, field by field: a stored value that is not valid (edited by hand) is left out, so its
 * default applies, rather than failing every request of the project.
 */
export function storedLimits(json: unknown): ProjectLimits {
  const out: ProjectLimits = {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return out;
  for (const name of LIMIT_NAMES) {
    const r = ProjectLimits.shape[name].safeParse((json as Record<string, unknown>)[name]);
    if (r.success && r.data !== undefined) out[name] = r.data;
  }
  return out;
}

/** The project's limits in force: its own over the defaults (a project with no row has the defaults). */
export async function projectLimits(db: Db, projectId: string): Promise<Limits> {
  const p = await db.project.findUnique({ where: { id: projectId }, select: { limits: true } });
  return { ...DEFAULT_LIMITS, ...storedLimits(p?.limits) };
}

/** Sets and removes stored limits (creating the project when missing); returns what is stored now. */
export async function updateProjectLimits(db: Db, projectId: string, change: { set?: ProjectLimits; unset?: LimitName[] }): Promise<ProjectLimits> {
  const set = ProjectLimits.parse(change.set ?? {});
  await ensureProject(db, projectId);
  return db.$transaction(async (txc) => {
    const tx = txc as unknown as Db;
    // Row lock: two concurrent updates of one project's limits both land.
    const rows = await tx.$queryRaw<{ limits: unknown }[]>`SELECT limits FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
    const next: ProjectLimits = { ...storedLimits(rows[0]?.limits), ...set };
    for (const name of change.unset ?? []) delete next[name];
    await tx.project.update({ where: { id: projectId }, data: { limits: next as Prisma.InputJsonValue } });
    return next;
  });
}
