/**
 * A realistic import corpus for the benchmarks: every story has a Russian original; 70 % also
 * have an English translation and 30 % a Kazakh one. Bodies are 2–8 KB of text in each
 * script (Cyrillic for ru and kk, with Kazakh letters; Latin for en), in paragraphs, with
 * the sizes drawn uniformly, so pages are as heavy as a real press office's.
 *
 *   npx tsx bench/corpus.ts 10000 /tmp/corpus-10k.json [seed]
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const WORDS = {
  ru: 'заседание комитет секретарей советов безопасности государств участников состоялось обсудили вопросы сотрудничества противодействия терроризму экстремизму информационной безопасности министр иностранных дел председатель генеральный секретарь организации договора коллективной мероприятие рамках повестки дня решение принято единогласно делегации приняли участие региональной стабильности'.split(
    ' ',
  ),
  en: 'meeting committee secretaries security councils member states took place discussed cooperation countering terrorism extremism information security minister foreign affairs chairman secretary general organization collective treaty event framework agenda decision adopted unanimously delegations participated regional stability'.split(
    ' ',
  ),
  kk: 'отырысы комитеті қауіпсіздік кеңестері хатшылары мемлекеттер қатысушы өтті талқыланды ынтымақтастық терроризмге қарсы іс-қимыл ақпараттық қауіпсіздігі сыртқы істер министрі төраға бас хатшы ұйымы ұжымдық шарт іс-шара күн тәртібі шешім бірауыздан қабылданды делегациялар қатысты өңірлік тұрақтылық'.split(
    ' ',
  ),
};
const TITLE = { ru: 'Заседание', en: 'Meeting', kk: 'Отырыс' };
const SECTIONS = ['news', 'statements', 'secretary-general', 'events', 'interviews'];

/** A small deterministic PRNG (mulberry32): the same seed gives the same corpus. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Lang = keyof typeof WORDS;

function text(rand: () => number, lang: Lang, words: number): string {
  const list = WORDS[lang];
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(list[Math.floor(rand() * list.length)]);
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A body of `bytes` UTF-8 bytes (roughly), in paragraphs of a few sentences. */
function body(rand: () => number, lang: Lang, bytes: number): string {
  const paras: string[] = [];
  let size = 0;
  while (size < bytes) {
    const sentences = Array.from(
      { length: 2 + Math.floor(rand() * 4) },
      () => `${text(rand, lang, 6 + Math.floor(rand() * 10))}.`,
    );
    const p = `<p>${sentences.join(' ')}</p>`;
    paras.push(p);
    size += Buffer.byteLength(p);
  }
  return paras.join('');
}

const HOUR = 3_600_000;
const FIRST = Date.UTC(2012, 0, 1);
/** The archive ends before this: every story is in the past, none is scheduled. */
const END = Date.UTC(2026, 0, 1);
/** Three hours between stories, or less when that would run past `END` (100,000: 1.2 h). */
const stepFor = (n: number) => Math.min(3 * HOUR, Math.floor((END - FIRST) / Math.max(n, 1)));

/** Story `i` of a corpus of `n` (which spaces the publication times). */
export function corpusStory(i: number, seed = 1, n = 0) {
  const rand = rng(seed * 1_000_003 + i);
  const publishedAt = new Date(FIRST + i * stepFor(n)).toISOString();
  const version = (lang: Lang) => ({
    title: `${TITLE[lang]} ${text(rand, lang, 5)} ${i}`,
    lead: `${text(rand, lang, 14)}.`,
    body: body(rand, lang, 2048 + Math.floor(rand() * 6144)),
  });
  const versions: Record<string, ReturnType<typeof version>> = { ru: version('ru') };
  if (rand() < 0.7) versions.en = version('en');
  if (rand() < 0.3) versions.kk = version('kk');
  return {
    externalId: `corpus-${seed}-${i}`,
    section: SECTIONS[i % SECTIONS.length],
    tags: [`t${i % 40}`],
    sourceLang: 'ru',
    publishedAt,
    versions,
  };
}

/** Writes the corpus as one import file, streamed (100,000 stories are about 1 GB). */
export async function writeCorpus(n: number, file: string, seed = 1): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('{"stories":[\n');
  for (let i = 0; i < n; i++) await write(`${i ? ',\n' : ''}${JSON.stringify(corpusStory(i, seed, n))}`);
  await write('\n]}\n');
  out.end();
  await once(out, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10_000);
  const file = process.argv[3] ?? `/tmp/corpus-${n}.json`;
  await writeCorpus(n, file, Number(process.argv[4] ?? 1));
  console.log(`wrote ${n} stories to ${file}`);
}
