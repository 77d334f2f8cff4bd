/**
 * Writes an import file of N synthetic stories (Russian original + English translation,
 * 3 paragraphs each), for the import and page benchmarks.
 * Usage: npx tsx bench/generate-import.ts 10000 /tmp/import-10k.json
 */
import { writeFileSync } from 'node:fs';

const n = Number(process.argv[2] ?? 10_000);
const out = process.argv[3] ?? `/tmp/import-${n}.json`;
const sections = ['news', 'statements', 'secretary-general'];
const stories = Array.from({ length: n }, (_, i) => {
  const day = new Date(Date.UTC(2015, 0, 1) + i * 3_600_000 * 7).toISOString();
  return {
    externalId: `bench-${i}`,
    section: sections[i % 3],
    tags: ['bench', `t${i % 20}`],
    sourceLang: 'ru',
    publishedAt: day,
    versions: {
      ru: {
        title: `Заседание комитета секретарей советов безопасности номер ${i}`,
        lead: `Участники обсудят ${i % 9} вопросов повестки дня.`,
        body: `<p>Заседание пройдёт ${day.slice(0, 10)} в Бишкеке.</p><p>На повестке ${i % 9} вопросов, включая меры против терроризма.</p><p>Материал номер ${i}.</p>`,
      },
      en: {
        title: `Committee of Secretaries of Security Councils meeting number ${i}`,
        lead: `Participants will discuss ${i % 9} agenda items.`,
        body: `<p>The meeting will take place on ${day.slice(0, 10)} in Bishkek.</p><p>There are ${i % 9} items on the agenda, including counter-terrorism measures.</p><p>Item number ${i}.</p>`,
      },
    },
  };
});
writeFileSync(out, JSON.stringify({ stories }));
console.log(`wrote ${n} stories to ${out}`);
