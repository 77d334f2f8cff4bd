/**
 * Preloaded (`node --import`) by bench/edit-cost.bench.ts --query-log: counts every Mongoose
 * query of the process by collection, method and filter shape (the filter's keys, values
 * left out). SIGUSR2 starts the count afresh; at exit the counts go to `$QUERY_LOG-<pid>.json`.
 */
import { writeFileSync } from 'node:fs';
import mongoose from 'mongoose';

let counts = new Map();
const shape = (v) =>
  v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !v._bsontype
    ? `{${Object.keys(v)
        .map((k) => (k.startsWith('$') || typeof v[k] === 'object' ? `${k}:${shape(v[k])}` : k))
        .join(',')}}`
    : Array.isArray(v)
      ? '[…]'
      : '?';
mongoose.set('debug', (collection, method, filter) => {
  const key = `${collection}.${method} ${shape(filter)}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
});
process.on('SIGUSR2', () => (counts = new Map()));
process.on('exit', () => {
  const sorted = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
  writeFileSync(`${process.env.QUERY_LOG}-${process.pid}.json`, JSON.stringify(sorted, null, 1));
});
