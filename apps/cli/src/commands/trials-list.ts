// `ablate trials`: a sweep's trials in grid order with their labels, seed, status, attempts, epoch progress, final
// test top-1 and the code of their last error.
import type { AblateClient, Page, SweepTrial } from '../client.js';
import { asJson, formatTable, pageNote } from '../text-table.js';

export interface ListTrialsOptions {
  status?: string;
  limit?: number;
  offset?: number;
  json?: boolean;
}

export async function listTrials(client: AblateClient, sweepId: string, o: ListTrialsOptions): Promise<void> {
  const page = await client.trials(sweepId, { status: o.status, limit: o.limit, offset: o.offset });
  process.stdout.write(o.json ? asJson(page) : renderTrials(page));
}

export function renderTrials(page: Page<SweepTrial>): string {
  const rows = page.items.map((t) => [
    String(t.index),
    Object.entries(t.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    String(t.seed),
    t.status,
    String(t.attempts),
    `${t.epochsDone}/${t.epochs}`,
    t.testTop1 === null ? '-' : `${(100 * t.testTop1).toFixed(2)}%`,
    t.error?.code ?? '',
  ]);
  const right = (title: string) => ({ title, right: true });
  return (
    formatTable([right('#'), 'LABELS', right('SEED'), 'STATUS', right('ATTEMPTS'), right('EPOCHS'), right('TOP1'), 'ERROR'], rows) + pageNote(page)
  );
}
