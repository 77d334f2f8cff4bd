/**
 * Memoises a pure function of one string key in a Map of at most `max` entries; when full it
 * starts afresh (a text's vocabulary repeats within a story and across an archive, so the
 * working set refills at once, and memory stays bounded without an LRU's bookkeeping).
 */
export function boundedMemo<T>(max: number, compute: (key: string) => T): (key: string) => T {
  let memo = new Map<string, T>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = compute(key);
      if (memo.size >= max) memo = new Map();
      memo.set(key, value);
    }
    return value;
  };
}
