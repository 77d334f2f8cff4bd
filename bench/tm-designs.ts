/**
 * Compares MinHash designs for the translation memory's candidate buckets without Redis: the
 * bench's corpus (`support/tm-corpus.ts`) is indexed in process memory, every bucket kept
 * whole in insertion order, and each lookup reads the newest `--cap` members of its buckets,
 * as Redis would hold them. With the cap scaled down with the memory (4 at 100,000 entries)
 * buckets overflow as they do at a million with the production cap of 40, in a fraction of
 * the time. For each design it reports the recall of the stored original among the 5 best
 * suggestions (production's `scoreMatch`, top 50 by shared buckets, ties to the older entry)
 * for near-duplicates (one word or number changed) and 75–94 % variants (three changed), and
 * the number of bucket keys (what costs Redis memory). docs/benchmarks.md ("Why 4-grams").
 *
 * Usage: taskset -c 1 npx tsx bench/tm-designs.ts [--entries 100000] [--cap 4] [--designs 20x3c3,20x3c4,20x3w1]
 * A design is `<bands>x<rows>` then `c<n>` (character n-grams) or `w<n>` (word n-grams).
 */
import { parseArgs } from 'node:util';
import { bandKeysOf, charShingles, fnv1a } from '../src/workflow/tm/tm-minhash.js';
import { coreText, scoreMatch } from '../src/workflow/tm/tm-score.js';
import { syntheticCorpus } from './support/tm-corpus.js';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    cap: { type: 'string', default: '4' },
    designs: { type: 'string', default: '20x3c3,20x3c4' },
  },
});
const N = Number(values.entries);
const CAP = Number(values.cap);

const wordShingles = (n: number) => (text: string) => {
  const words = coreText(text).match(/[\p{L}\p{N}#]+/gu) ?? [];
  const out = new Set<number>();
  for (let i = 0; i + n <= words.length; i++) out.add(fnv1a(words.slice(i, i + n).join(' ')));
  return out;
};
function design(spec: string) {
  const m = /^(\d+)x(\d+)([cw])(\d+)$/.exec(spec);
  if (!m) throw new Error(`design '${spec}': expected <bands>x<rows>c<n> or …w<n>`);
  const shingles = (m[3] === 'c' ? charShingles : wordShingles)(Number(m[4]));
  return bandKeysOf({ bands: Number(m[1]), rows: Number(m[2]), shingles });
}

const { pick, sentence, perturb } = syntheticCorpus();
const sources: string[] = [];
const idOf = new Map<string, number>();
const stored: string[] = [];
for (let n = 0; n < N; n++) {
  const s = sentence();
  if (n % 97 === 0) stored.push(s);
  if (idOf.has(s)) continue;
  idOf.set(s, sources.length);
  sources.push(s);
}
type Query = { q: string; want: number };
const near: Query[] = [];
for (let i = 0; i < 200; i++) {
  const want = pick(stored);
  const q = perturb(want);
  if (q !== want) near.push({ q, want: idOf.get(want)! });
}
const fuzzy: Query[] = [];
for (let i = 0; i < 200; i++) {
  const want = pick(stored);
  const q = perturb(perturb(perturb(want)));
  const { percent } = scoreMatch(q, want);
  if (percent >= 75 && percent < 95) fuzzy.push({ q, want: idOf.get(want)! });
}

console.log(`${N.toLocaleString('en')} entries, cap ${CAP}`);
console.log('| design | near-dup | 75–94 % | bucket keys | members read p50 / max |\n|---|---|---|---|---|');
for (const spec of values.designs.split(',')) {
  const keysOf = design(spec);
  const buckets = new Map<string, number[]>();
  sources.forEach((s, id) => {
    for (const k of keysOf(s)) {
      const b = buckets.get(k);
      if (b) b.push(id);
      else buckets.set(k, [id]);
    }
  });
  const reads: number[] = [];
  const recall = (queries: Query[]) => {
    let found = 0;
    for (const { q, want } of queries) {
      const hits = new Map<number, number>();
      let read = 0;
      for (const k of keysOf(q)) {
        for (const id of (buckets.get(k) ?? []).slice(-CAP)) {
          hits.set(id, (hits.get(id) ?? 0) + 1);
          read++;
        }
      }
      reads.push(read);
      const best = [...hits]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 50)
        .map(([id]) => ({ id, m: scoreMatch(q, sources[id]) }))
        .filter((x) => x.m.band)
        .sort((a, b) => b.m.percent - a.m.percent)
        .slice(0, 5);
      if (best.some((x) => x.id === want)) found++;
    }
    return `${found}/${queries.length}`;
  };
  const cells = [recall(near), recall(fuzzy)];
  reads.sort((a, b) => a - b);
  console.log(
    `| ${spec} | ${cells.join(' | ')} | ${buckets.size.toLocaleString('en')} | ` +
      `${reads[Math.floor((reads.length - 1) / 2)]} / ${reads.at(-1)} |`,
  );
}
