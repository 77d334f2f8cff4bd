/**
 * C0 and C1 control characters other than tab, line feed and carriage return, and DEL.
 * They have no meaning in a press release, are invalid in HTML and XML, and our segmenter
 * uses two of them as internal marks: they are removed from every text a person or file
 * sends, at the boundary (`cleanRequestInput`, the import parser), before anything is stored.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export const stripControlChars = (s: string): string => s.replace(CONTROL_CHARS, '');

/** Key names MongoDB would read as operators or paths (`$gt`, `a.b`) when an object reaches a query. */
export const isOperatorKey = (key: string) => key.startsWith('$');

/**
 * Returns `value` with control characters removed from every string (keys included), and
 * the path of the first object key that looks like a query operator, if any. Arrays and
 * plain objects are walked; anything else is returned as it is.
 */
export function cleanDeep(value: unknown, path = ''): { value: unknown; operatorAt?: string } {
  let operatorAt: string | undefined;
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string') return stripControlChars(v);
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${at}[${i}]`));
    if (v && typeof v === 'object' && isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        const key = stripControlChars(k);
        if (key === '__proto__') continue; // would replace the copy's prototype
        const keyPath = at ? `${at}.${key}` : key;
        if (isOperatorKey(key)) operatorAt ??= keyPath;
        out[key] = walk(item, keyPath);
      }
      return out;
    }
    return v;
  };
  const cleaned = walk(value, path);
  return { value: cleaned, operatorAt };
}

/** Objects from JSON.parse and from query-string parsers (whose prototype is null). */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
