/**
 * Feed speed against the machine's ceiling (method: /work/shared/BENCHMARKING.md).
 * Builds the compiled server, imports N stories (Russian, every other one also in English)
 * into a fresh data dir, starts `node …/start.js` pinned to CPU 0 (its FerretDB and Redis
 * inherit the pin), and loads it with autocannon from this process, pinned to CPU 1:
 *
 *   taskset -c 1 npx tsx bench/feeds.bench.ts [stories=1000]
 *
 * Cases: the 50-item RSS feed requested repeatedly (200), and the same with a matching
 * If-None-Match (304). Each runs twice against our server and twice against a bare Node
 * server replaying the same bytes and headers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  autocannon,
  benchEnv,
  build,
  replayHeaders,
  rssMb,
  sh as run,
  startPinned as pinned,
} from './support/pinned-server.js';

const N = Number(process.argv[2] ?? 1000);
const OUT = join(ROOT, 'dist', 'feeds-bench'); // dist/ is git-ignored
const PORT = 3941;
const CEILING_PORT = 3942;
const FEED = '/ru/rss.xml';
const work = mkdtempSync(join(tmpdir(), 'feeds-bench-'));
const env = benchEnv(work, PORT);
const sh = (cmd: string, args: string[]) => run(cmd, args, env);
const startPinned = (args: string[], ready: RegExp) => pinned(args, ready, env);

async function main() {
  build(OUT, env);
  const file = join(work, 'import.json');
  const stories = Array.from({ length: N }, (_, i) => ({
    externalId: `feeds-bench-${i}`,
    section: ['news', 'statements', 'secretary-general'][i % 3],
    tags: ['bench', `tag-${i % 7}`],
    sourceLang: 'ru',
    publishedAt: new Date(Date.UTC(2015, 0, 1) + i * 3_600_000 * 7).toISOString(),
    versions: {
      ru: {
        title: `Заседание комитета секретарей советов безопасности номер ${i}`,
        lead: `Участники обсудят ${i % 9} вопросов повестки дня.`,
        body:
          `<p>Заседание пройдёт в <a href="/ru/news/">Бишкеке</a>.</p>`.repeat(6) + `<p>Материал ${i}.</p>`,
      },
      ...(i % 2 === 0
        ? {
            en: {
              title: `Meeting of the committee of security council secretaries no. ${i}`,
              lead: 'Participants will discuss the agenda.',
              body: '<p>The meeting will take place in Bishkek.</p>'.repeat(6),
            },
          }
        : {}),
    },
  }));
  writeFileSync(file, JSON.stringify({ stories }));
  console.log(`importing ${N} stories`);
  sh('taskset', ['-c', '0', 'node', join(OUT, 'src/bin/newsroom.js'), 'import', file]);

  const server = await startPinned(['node', join(OUT, 'src/bin/start.js')], /Newsroom is running/);
  const base = `http://127.0.0.1:${PORT}`;
  try {
    const res200 = await fetch(base + FEED, { headers: { 'accept-encoding': 'identity' } });
    const body = Buffer.from(await res200.arrayBuffer());
    const etag = res200.headers.get('etag')!;
    const res304 = await fetch(base + FEED, { headers: { 'if-none-match': etag } });
    if (res304.status !== 304) throw new Error(`expected 304, got ${res304.status}`);
    const capturedFile = join(work, 'captured.json');
    writeFileSync(
      capturedFile,
      JSON.stringify({
        headers200: replayHeaders(res200.headers),
        headers304: replayHeaders(res304.headers),
        body: body.toString('base64'),
        etag,
      }),
    );
    const ceiling = await startPinned(
      ['node', join(ROOT, 'bench/feeds-ceiling.mjs'), capturedFile, String(CEILING_PORT)],
      /ceiling ready/,
    );
    const rows: string[] = [];
    try {
      for (const [name, headers, bytes] of [
        ['RSS feed 200 (50 items)', {}, body.length],
        ['RSS feed 304 (If-None-Match)', { 'if-none-match': etag }, 0],
      ] as const) {
        for (let run = 1; run <= 2; run++) {
          for (const [target, port, pid] of [
            ['newsroom', PORT, server.pid!],
            ['ceiling', CEILING_PORT, ceiling.pid!],
          ] as const) {
            const url = `http://127.0.0.1:${port}${FEED}`;
            await autocannon({ url, connections: 50, duration: 5, headers }); // warm-up
            const r = await autocannon({ url, connections: 50, duration: 20, headers });
            const expected = Object.keys(headers).length ? '304' : '200';
            const wrong = Object.entries(r.statusCodeStats ?? {})
              .filter(([code]) => code !== expected)
              .reduce((n, [, s]) => n + s.count, 0);
            rows.push(
              `| ${name} | ${run} | ${target} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.errors + r.timeouts + wrong} | ${bytes} | ${rssMb(pid)} |`,
            );
            console.log(rows[rows.length - 1]);
          }
        }
      }
    } finally {
      ceiling.kill();
    }
    console.log('\n| case | run | server | req/s | p50 ms | p99 ms | errors | body bytes | RSS MB |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
