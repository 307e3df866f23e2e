// `ablate sweeps`: the sweeps, newest first, one line each with status, progress, failures and priority.
import type { AblateClient, Page, SweepSummary } from '../client.js';
import { asJson, formatTable, localTime, pageNote } from '../text-table.js';

export interface ListSweepsOptions {
  status?: string;
  name?: string;
  limit?: number;
  offset?: number;
  json?: boolean;
}

export async function listSweeps(client: AblateClient, o: ListSweepsOptions): Promise<void> {
  const page = await client.listSweeps({ status: o.status, name: o.name, limit: o.limit, offset: o.offset });
  process.stdout.write(o.json ? asJson(page) : renderSweeps(page));
}

export function renderSweeps(page: Page<SweepSummary>): string {
  const rows = page.items.map((s) => [
    s.id,
    s.name.length > 40 ? `${s.name.slice(0, 39)}…` : s.name,
    s.status,
    `${s.counts.done}/${s.counts.total}`,
    String(s.counts.failed),
    String(s.priority),
    localTime(s.createdAt),
  ]);
  const right = (title: string) => ({ title, right: true });
  return formatTable(['ID', 'NAME', 'STATUS', right('DONE'), right('FAILED'), right('PRIORITY'), 'CREATED'], rows) + pageNote(page);
}
