/**
 * Preloaded (`node --import`) by bench/edit-cost.bench.ts --query-log: counts every Mongoose
 * query of the process by collection, method and filter shape (the filter's keys, values
 * left out). SIGUSR2 starts the count afresh; at exit the counts go to `$QUERY_LOG-<pid>.json`.
 * With `QUERY_LOG_STACKS=1` each key also counts the call sites (our frames of the async
 * stack) that made it, to find where repeated reads come from.
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
const STACKS = process.env.QUERY_LOG_STACKS === '1';
Error.stackTraceLimit = STACKS ? 40 : Error.stackTraceLimit;
const callSite = () =>
  (new Error().stack ?? '')
    .split('\n')
    .filter((l) => /\/(src|dist\/bench)\//.test(l) && !/node_modules/.test(l))
    .slice(0, 6)
    .map((l) =>
      l
        .trim()
        .replace(/^at (async )?/, '')
        .replace(/\(?\/.*\/(dist\/bench|src)\//, '')
        .replace(/\)$/, ''),
    )
    .join(' < ');
mongoose.set('debug', (collection, method, filter) => {
  let key = `${collection}.${method} ${shape(filter)}`;
  if (STACKS) key += `  @ ${callSite()}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
});
process.on('SIGUSR2', () => (counts = new Map()));
process.on('exit', () => {
  const sorted = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
  writeFileSync(`${process.env.QUERY_LOG}-${process.pid}.json`, JSON.stringify(sorted, null, 1));
});
