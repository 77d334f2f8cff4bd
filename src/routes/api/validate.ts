import type { z } from 'zod';
import { badRequest } from '../../errors.js';

/**
 * Parses request input with a zod schema; a bad field is a 400 `invalid_request` (or the
 * route's own `code`) naming it.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code = 'invalid_request',
): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw badRequest(code, `${first.path || 'body'}: ${first.message}`, { issues });
}
