// Response shapes shared by routes.
import { z } from 'zod';

export const ErrorResponse = z.object({
  statusCode: z.number(),
  code: z.string(),
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const IdParams = z.object({ id: z.string().min(1).max(100) });
