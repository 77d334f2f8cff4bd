import { z } from 'zod';

/**
 * Form fields as HTML sends them, read into typed values: checkboxes of one name arrive as a
 * string (one ticked), an array (several) or nothing at all.
 */
export const checkedValues = z.preprocess(
  (v) => (Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : []),
  z.array(z.string()),
);

/** A text field holding a list (`tags: a, b`), split at `separator`, blanks dropped. */
export const separatedList = (separator: RegExp) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(separator)
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    z.array(z.string()),
  );
