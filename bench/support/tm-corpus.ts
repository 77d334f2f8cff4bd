/**
 * The translation-memory benches' synthetic corpus (`tm-lookup.bench.ts`, `tm-designs.ts`):
 * deterministic, so every run and both benches see the same sentences. A vocabulary of 6,000
 * pseudo-words from 24 Russian syllables, drawn with a Zipf law (a few very common words, a
 * long tail), 8–20 words a sentence, plus numbers and dates; one entry in ten is a variant of
 * an earlier one (another date or number), as press releases repeat. The small vocabulary is
 * a hard case for MinHash buckets on purpose.
 */
export function syntheticCorpus(initialSeed = 42) {
  let seed = initialSeed;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  /** Runs `f` on a random stream of its own, leaving the main stream where it was. */
  const aside = <T>(own: number, f: () => T): T => {
    const main = seed;
    seed = own;
    try {
      return f();
    } finally {
      seed = main;
    }
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const SYL = 'ва ли ко ра ни то пре до ста мо же сти го ве за не ро ми ла ду ка ры бе че'.split(' ');
  const VOCAB = Array.from({ length: 6000 }, () =>
    Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pick(SYL)).join(''),
  );
  const zipf = () =>
    VOCAB[Math.min(VOCAB.length - 1, Math.floor(Math.exp(rnd() * Math.log(VOCAB.length))) - 1)];
  const MONTH = 'января февраля марта апреля мая июня июля августа сентября октября ноября декабря'.split(
    ' ',
  );
  /** A sentence never seen before. */
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
  /** The next entry of the memory: mostly fresh, one in ten a variant of a recent one. */
  const sentence = () => {
    if (recent.length > 0 && rnd() < 0.1)
      return pick(recent).replace(/\d+/, String(1 + Math.floor(rnd() * 28)));
    const s = fresh();
    if (recent.length < 5000) recent.push(s);
    else recent[Math.floor(rnd() * recent.length)] = s;
    return s;
  };
  /** One word replaced by another, or one number changed. */
  const perturb = (s: string) => {
    const words = s.split(' ');
    const at = Math.floor(rnd() * words.length);
    words[at] = /\d/.test(words[at]) ? String(Number(words[at].replace(/\D/g, '')) + 1) : zipf();
    return words.join(' ');
  };
  return { pick, aside, fresh, sentence, perturb };
}
