/**
 * Translation-memory lookup at growing memory sizes: the same `lookupMemory` the task
 * preparation calls, against its own redis-server on loopback (pinned to CPU 0, this
 * process on CPU 1 when run under `taskset -c 1`). Entries are synthetic Russian-like
 * sentences from a fixed vocabulary, indexed with the production `indexEntry`. At each size
 * it looks up 400 segments never seen before (cold: nothing is warmed): 200 near-duplicates of
 * a stored entry (one word replaced, or a number changed) and 200 unrelated sentences, and
 * prints p50/p99 per lookup, the recall of the stored original among the suggestions, the
 * Redis memory and the ratio of each size's p50 to the smallest size's p50 (the ceiling:
 * the same lookup on a small memory).
 * Usage: taskset -c 1 npx tsx bench/tm-lookup.bench.ts [sizes=10000,100000,1000000]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import type { AppContext } from '../src/context.js';
import { redisKeys } from '../src/redis/keys.js';
import { indexEntry } from '../src/workflow/tm/tm-index.js';
import { lookupMemory } from '../src/workflow/translation-memory.js';

const sizes = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
const PAIR = 'ru:en';

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(`${tmpdir()}/tm-bench-`);
const server = spawn(
  'taskset',
  ['-c', '0', 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
  { stdio: 'ignore' },
);
process.on('exit', () => server.kill());
for (let i = 0; ; i++) {
  const up = await new Promise<boolean>((resolve) => {
    const sock = connect(port, '127.0.0.1', () => resolve(sock.end() && true));
    sock.on('error', () => resolve(false));
  });
  if (up) break;
  if (i > 100) throw new Error('redis-server did not start');
  await new Promise((r) => setTimeout(r, 100));
}
const redis = new Redis(`redis://127.0.0.1:${port}`, { enableAutoPipelining: true });
const ctx = {
  redis,
  keys: redisKeys('{bench}'),
} as unknown as AppContext;

// A deterministic generator: the same corpus on every run.
let seed = 42;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
// A vocabulary of 6,000 pseudo-words from Russian syllables, drawn with a Zipf law (a few
// very common words, a long tail), 8–20 words a sentence, plus numbers and dates; one entry
// in ten is a variant of an earlier one (another date or number), as press releases repeat.
const SYL = 'ва ли ко ра ни то пре до ста мо же сти го ве за не ро ми ла ду ка ры бе че'.split(' ');
const VOCAB = Array.from({ length: 6000 }, () =>
  Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pick(SYL)).join(''),
);
const zipf = () =>
  VOCAB[Math.min(VOCAB.length - 1, Math.floor(Math.exp(rnd() * Math.log(VOCAB.length))) - 1)];
const MONTH = 'января февраля марта апреля мая июня июля августа сентября октября ноября декабря'.split(' ');
const fresh = () => {
  const words = Array.from({ length: 8 + Math.floor(rnd() * 13) }, zipf);
  words.splice(
    Math.floor(rnd() * words.length),
    0,
    `${1 + Math.floor(rnd() * 28)} ${pick(MONTH)} ${2000 + Math.floor(rnd() * 30)}`,
  );
  const s = words.join(' ');
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
};
const recent: string[] = [];
const sentence = () => {
  if (recent.length > 0 && rnd() < 0.1)
    return pick(recent).replace(/\d+/, String(1 + Math.floor(rnd() * 28)));
  const s = fresh();
  if (recent.length < 5000) recent.push(s);
  else recent[Math.floor(rnd() * recent.length)] = s;
  return s;
};

const stored: string[] = [];
let n = 0;
async function fill(to: number) {
  const batch: Promise<void>[] = [];
  for (; n < to; n++) {
    const s = sentence();
    if (n % 97 === 0) stored.push(s);
    batch.push(indexEntry(ctx, PAIR, { id: `${PAIR}:${n}`, s, t: `translation ${n}` }));
    if (batch.length >= 500) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

const perturb = (s: string) => {
  const words = s.split(' ');
  const at = Math.floor(rnd() * words.length);
  words[at] = /\d/.test(words[at]) ? String(Number(words[at].replace(/\D/g, '')) + 1) : zipf();
  return words.join(' ');
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

console.log(`tm-lookup bench ${new Date().toISOString()} node ${process.version}`);
let baseP50 = 0;
for (const size of sizes) {
  const t0 = performance.now();
  await fill(size);
  const fillS = (performance.now() - t0) / 1000;
  const targets = Array.from({ length: 200 }, () => pick(stored));
  const queries = [
    ...targets.map((s) => ({ q: perturb(s), want: s })),
    ...Array.from({ length: 200 }, () => ({ q: fresh(), want: undefined })),
  ];
  const lat: number[] = [];
  let found = 0;
  let near = 0;
  for (const { q, want } of queries) {
    const t = performance.now();
    const got = await lookupMemory(ctx, PAIR, q);
    lat.push(performance.now() - t);
    if (want && q !== want) {
      near++;
      if (got.some((g) => g.source === want)) found++;
    }
  }
  const mem = /used_memory_human:(\S+)/.exec(await redis.info('memory'))?.[1];
  const p50 = pct(lat, 0.5);
  baseP50 ||= p50;
  console.log(
    `entries ${size.toLocaleString('en')}: fill ${fillS.toFixed(0)} s; lookup p50 ${p50.toFixed(2)} ms, p99 ${pct(lat, 0.99).toFixed(2)} ms, ` +
      `ratio to smallest ${(p50 / baseP50).toFixed(2)}; recall of the original ${found}/${near}; redis ${mem}`,
  );
}
await redis.quit();
server.kill();
