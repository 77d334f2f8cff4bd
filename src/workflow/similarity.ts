/**
 * Fuzzy match score between two segments: 1 − Levenshtein distance / longer length, on
 * whitespace-normalised text. 1 is identical; the translation memory offers ≥ 0.75.
 */
export function similarity(a: string, b: string): number {
  const x = normalizeSegment(a);
  const y = normalizeSegment(b);
  if (x === y) return 1;
  const longer = Math.max(x.length, y.length);
  if (longer === 0) return 1;
  return 1 - levenshtein(x, y) / longer;
}

/** The form of a segment used for exact matching and scoring. */
export const normalizeSegment = (s: string) => s.replace(/\s+/g, ' ').trim();

function levenshtein(a: string, b: string): number {
  if (a.length < b.length) [a, b] = [b, a];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}
