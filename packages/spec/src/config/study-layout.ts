// A sweep's table as its paper prints it: named columns, one printed row per listed cell of the sweep, the metric each
// row reports and the number the paper gives beside ours (GET /sweeps/:id/table?layout=study).
import { z } from 'zod';

const Text = z.string().trim().min(1).max(200);

export const StudyLayoutRow = z
  .object({
    /** What the paper prints in each of `columns`, in order. */
    cells: z.array(Text).min(1).max(16),
    /** The sweep's row this printed row reports: axis → label (every seed of the matching cells counts). */
    where: z.record(z.string(), z.string()).refine((w) => Object.keys(w).length > 0, { message: 'name at least one axis label' }),
    /** The metric of this row, when it differs from the table's (e.g. `ttaTop1` for a "+TTA" row of the same trials). */
    metric: z.string().max(40).optional(),
    /** The paper's number for this row, printed beside ours. */
    reported: z.number().finite().optional(),
  })
  .strict();

export const StudyLayout = z
  .object({
    /** The paper's caption or a line saying which table this is. */
    title: Text.optional(),
    /** Headings of the label columns (`["method"]`, `["network", "method"]`). */
    columns: z.array(Text).min(1).max(16),
    /** Heading of our value column (`acc`) and the metric it shows unless the request names one. */
    value: Text.default('acc'),
    metric: z.string().max(40).default('testTop1'),
    /** Heading of the paper's numbers (`blog`). */
    reportedAs: Text.default('reported'),
    rows: z.array(StudyLayoutRow).min(1).max(1000),
  })
  .strict()
  .superRefine((t, ctx) => {
    t.rows.forEach((r, i) => {
      if (r.cells.length !== t.columns.length)
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i, 'cells'],
          message: `give ${t.columns.length} cells (one per column), got ${r.cells.length}`,
        });
    });
  });
export type StudyLayout = z.output<typeof StudyLayout>;
