/**
 * Translation-memory lookup at growing memory sizes (issue 13: "lookup cost does not grow with
 * the memory's size … measured at 1 million entries"): the same `lookupMemory` the task
 * preparation calls, against its own redis-server on loopback (pinned to CPU 0, this process
 * on CPU 1 when run under `taskset -c 1`). Entries are synthetic Russian-like sentences from a
 * fixed vocabulary (`support/tm-corpus.ts`), loaded in bulk with the production indexer
 * (`indexEntries`, what a rebuild of the index from MongoDB runs: the same keys and caps as
 * `indexEntry` for a TMX import or an approval, a thousand entries a pipeline; lookups never
 * read MongoDB, so the entries are not written there). At each size it looks up segments never
 * seen before (cold: nothing is warmed): 200 near-duplicates of a stored entry (one word
 * replaced, or a number changed), 200 unrelated sentences, and up to 200 fuzzy variants (three
 * words or numbers changed, kept when the original still scores 75–94 %, drawn from a random
 * stream of their own so the corpus and the other queries are those of earlier runs). It
 * reports p50/p99 per lookup, the candidates examined (bucket members read, distinct entries,
 * entries scored), the recall of the stored original among the suggestions, the Redis memory
 * and the ratio of each size's p50 to the smallest size's.
 *
 * Usage: taskset -c 1 npx tsx bench/tm-lookup.bench.ts [--sizes 10000,100000,1000000] [--write]
 * `--write` replaces the generated table in docs/benchmarks.md ("Translation-memory lookup").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import type { AppContext } from '../src/context.js';
import { redisKeys } from '../src/redis/keys.js';
import { syntheticCorpus } from './support/tm-corpus.js';
import { BANDS, ROWS, SHINGLE } from '../src/workflow/tm/tm-minhash.js';
import {
  BUCKET_CAP,
  MAX_CANDIDATES,
  indexEntries,
  type CandidateStats,
} from '../src/workflow/tm/tm-index.js';
import { scoreMatch } from '../src/workflow/tm/tm-score.js';
import { lookupMemory } from '../src/workflow/translation-memory.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const sizes = (arg('sizes') ?? '10000,100000,1000000').split(',').map(Number);
const writeDocs = process.argv.includes('--write');
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

const { pick, aside, fresh, sentence, perturb } = syntheticCorpus();

const stored: string[] = [];
let n = 0;
/** Bulk load: a thousand entries a pipeline (`indexEntries`), two in flight; newest = last added. */
async function fill(to: number) {
  const inFlight: Promise<void>[] = [];
  while (n < to) {
    const batch = [];
    for (const end = Math.min(to, n + 1000); n < end; n++) {
      const s = sentence();
      if (n % 97 === 0) stored.push(s);
      batch.push({ entry: { id: `${PAIR}:${n}`, s, t: `translation ${n}` }, at: 1e12 + n });
    }
    inFlight.push(indexEntries(ctx, PAIR, batch));
    if (inFlight.length >= 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

const started = new Date().toISOString();
console.log(`tm-lookup bench ${started} node ${process.version}`);
const rows: string[] = [];
let baseP50 = 0;
for (const size of sizes) {
  const t0 = performance.now();
  const from = n;
  await fill(size);
  const fillS = (performance.now() - t0) / 1000;
  const targets = Array.from({ length: 200 }, () => pick(stored));
  const queries: { q: string; want?: string; fuzzy?: boolean }[] = [
    ...targets.map((s) => ({ q: perturb(s), want: s })),
    ...Array.from({ length: 200 }, () => ({ q: fresh(), want: undefined })),
  ];
  aside(size, () => {
    for (let i = 0; i < 200; i++) {
      const want = pick(stored);
      const q = perturb(perturb(perturb(want)));
      const { percent } = scoreMatch(q, want);
      if (percent >= 75 && percent < 95) queries.push({ q, want, fuzzy: true });
    }
  });
  const lat: number[] = [];
  const read: number[] = [];
  const distinct: number[] = [];
  const scored: number[] = [];
  let found = 0;
  let near = 0;
  let fuzzyFound = 0;
  let fuzzy = 0;
  for (const { q, want, fuzzy: isFuzzy } of queries) {
    const stats: CandidateStats = { read: 0, distinct: 0, scored: 0 };
    const t = performance.now();
    const got = await lookupMemory(ctx, PAIR, q, undefined, stats);
    lat.push(performance.now() - t);
    read.push(stats.read);
    distinct.push(stats.distinct);
    scored.push(stats.scored);
    const hit = got.some((g) => g.source === want);
    if (isFuzzy) {
      fuzzy++;
      if (hit) fuzzyFound++;
    } else if (want && q !== want) {
      near++;
      if (hit) found++;
    }
  }
  const mem = /used_memory_human:(\S+)/.exec(await redis.info('memory'))?.[1] ?? '?';
  const keys = await redis.dbsize();
  const p50 = pct(lat, 0.5);
  const p99 = pct(lat, 0.99);
  baseP50 ||= p50;
  const max = (xs: number[]) => Math.max(...xs);
  const rate = Math.round((size - from) / fillS);
  console.log(
    `entries ${size.toLocaleString('en')}: fill ${fillS.toFixed(0)} s (${rate.toLocaleString('en')}/s); ` +
      `lookup p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ratio to smallest ${(p50 / baseP50).toFixed(2)}; ` +
      `read p50 ${pct(read, 0.5)} max ${max(read)}, distinct p50 ${pct(distinct, 0.5)} max ${max(distinct)}, ` +
      `scored p50 ${pct(scored, 0.5)} max ${max(scored)}; recall ${found}/${near}, fuzzy ${fuzzyFound}/${fuzzy}; redis ${mem}, ${keys.toLocaleString('en')} keys`,
  );
  rows.push(
    `| ${size.toLocaleString('en')} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${(p50 / baseP50).toFixed(2)} | ` +
      `${pct(read, 0.5)} / ${max(read)} | ${pct(distinct, 0.5)} / ${max(distinct)} | ${pct(scored, 0.5)} / ${max(scored)} | ` +
      `${found}/${near} | ${fuzzyFound}/${fuzzy} | ${mem} | ${keys.toLocaleString('en')} | ${fillS.toFixed(0)} s |`,
  );
}
await redis.quit();
server.kill();

const table = [
  `Run ${started.slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, sizes ${sizes.map((x) => x.toLocaleString('en')).join(', ')}; ` +
    `MinHash over ${SHINGLE}-grams, ${BANDS} bands of ${ROWS}; caps: ${BANDS} buckets × ${BUCKET_CAP} entries read, ${MAX_CANDIDATES} scored.`,
  '',
  '| entries | p50 ms | p99 ms | p50 ratio | members read p50 / max | distinct p50 / max | scored p50 / max | recall near-dup | recall 75–94 % | Redis | keys | fill |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(`\n${table}`);
if (writeDocs) {
  const file = new URL('../docs/benchmarks.md', import.meta.url);
  const start = '<!-- tm-lookup: start -->';
  const end = '<!-- tm-lookup: end -->';
  const doc = readFileSync(file, 'utf8');
  const at = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (at < 0 || to < at) throw new Error(`docs/benchmarks.md lacks the ${start} … ${end} markers`);
  writeFileSync(file, `${doc.slice(0, at + start.length)}\n${table}\n${doc.slice(to)}`);
  console.log('docs/benchmarks.md updated');
}
