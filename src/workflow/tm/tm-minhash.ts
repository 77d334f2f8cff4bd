import { coreText } from './tm-score.js';

/**
 * MinHash signatures and LSH band keys for translation-memory candidates. A segment's
 * shingles are the character 4-grams of its core text (codes out, numbers masked, lower
 * case); `HASHES` independent hash functions give the signature and every `ROWS` values
 * form one band. Two segments share a band with probability 1 − (1 − J^ROWS)^BANDS for
 * 4-gram Jaccard similarity J: ≈ 0.99 at J = 0.6, 0.85 at 0.45, 0.07 at 0.15, so segments
 * that can reach 75 % meet in at least one bucket while unrelated ones rarely do. Lookup
 * reads BANDS buckets, each capped, so its cost does not depend on the memory's size.
 *
 * Why 4-grams, not trigrams: a signature value is the shingle with the smallest hash, and
 * the trigrams every sentence has (` в `, `ого`, `ени`) win it in most segments, so a band
 * of three such values is the same for a large share of the memory. Those buckets overflow
 * their cap and the entries they drop are lost to lookups that only share those bands: at
 * a million entries of the benchmark's small-vocabulary corpus, 40 % of near-duplicates were
 * missed. 4-grams are far more varied, so a near-duplicate almost always shares a small
 * bucket with its original: 195 of 198 found at 1,000,000 (docs/benchmarks.md, "TM lookup";
 * 75–94 % matches 83 %, and the index takes about twice the Redis memory).
 */

/** Characters per shingle. Changing it changes every band key: bump `keys.tm` (`b2`, `built:v2`). */
export const SHINGLE = 4;
export const BANDS = 20;
export const ROWS = 3;

/** How segments are cut into shingles and signatures into bands (`bench/tm-designs.ts` compares some). */
export interface MinHashDesign {
  bands: number;
  rows: number;
  shingles: (text: string) => Set<number>;
}

/** 32-bit FNV-1a of a string's UTF-16 units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The hashed n-grams of the core text between spaces; a text shorter than that is one shingle. */
export const charShingles =
  (n: number) =>
  (text: string): Set<number> => {
    const core = ` ${coreText(text)} `;
    const out = new Set<number>();
    for (let i = 0; i + n <= core.length; i++) out.add(fnv1a(core.slice(i, i + n)));
    if (out.size === 0) out.add(fnv1a(core));
    return out;
  };

/** The band-key function of a design: one key per band, `<band>.<base36 hash of its rows>`. */
export function bandKeysOf({ bands, rows, shingles }: MinHashDesign): (text: string) => string[] {
  // Fixed odd multipliers and offsets: signatures must be the same in every process and release.
  const seeds = Array.from({ length: bands * rows }, (_, i) => {
    let x = (i + 1) * 0x9e3779b1;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return [(x ^ (x >>> 16)) | 1, Math.imul(x, 0x27d4eb2f) >>> 0] as const;
  });
  const signature = (text: string) => {
    const sig = new Uint32Array(seeds.length).fill(0xffffffff);
    for (const s of shingles(text)) {
      for (let k = 0; k < seeds.length; k++) {
        let h = Math.imul(s ^ seeds[k][1], seeds[k][0]);
        h ^= h >>> 15;
        h = Math.imul(h, 0x2c1b3c6d) >>> 0;
        if (h < sig[k]) sig[k] = h;
      }
    }
    return sig;
  };
  return (text) => {
    if (!/[\p{L}\p{N}]/u.test(text)) return [];
    const sig = signature(text);
    const keys: string[] = [];
    for (let b = 0; b < bands; b++) {
      let h = 0x811c9dc5;
      for (let r = 0; r < rows; r++) h = Math.imul(h ^ sig[b * rows + r], 0x01000193);
      keys.push(`${b}.${(h >>> 0).toString(36)}`);
    }
    return keys;
  };
}

/** The index's band keys of a segment. Empty for text without letters or digits. */
export const bandKeys = bandKeysOf({ bands: BANDS, rows: ROWS, shingles: charShingles(SHINGLE) });
