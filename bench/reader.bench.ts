/**
 * Reader page speed against the machine's ceiling (method: /work/shared/BENCHMARKING.md).
 * Builds the compiled server, imports N Russian stories into a fresh data dir, starts
 * `node …/start.js` pinned to CPU 0 (its FerretDB and Redis inherit the pin), and loads it with
 * autocannon from this process, which must run pinned to CPU 1:
 *
 *   taskset -c 1 npx tsx bench/reader.bench.ts [stories=10000]
 *
 * Cases: one article requested repeatedly; a random article out of all N. Each case runs twice
 * against our server and twice against a bare Node server replaying the same bytes and headers.
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
  rssMb as rss,
  sh as run,
  startPinned as pinned,
} from './support/pinned-server.js';

const N = Number(process.argv[2] ?? 10_000);
const OUT = join(ROOT, 'dist', 'reader-bench'); // dist/ is git-ignored
const PORT = 3931;
const CEILING_PORT = 3932;
const work = mkdtempSync(join(tmpdir(), 'reader-bench-'));
const env = benchEnv(work, PORT);
const sh = (cmd: string, args: string[]) => run(cmd, args, env);
const startPinned = (args: string[], ready: RegExp) => pinned(args, ready, env);

async function load(url: string, paths: string[] | undefined, seconds: number) {
  const opts: Parameters<typeof autocannon>[0] = { url, connections: 50, duration: seconds };
  if (paths)
    opts.requests = [
      { setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] }) },
    ];
  return autocannon(opts);
}

async function main() {
  console.log(`building into ${OUT}`);
  build(OUT, env);
  const file = join(work, 'import.json');
  const sections = ['news', 'statements', 'secretary-general'];
  const stories = Array.from({ length: N }, (_, i) => ({
    externalId: `reader-bench-${i}`,
    section: sections[i % 3],
    tags: ['bench'],
    sourceLang: 'ru',
    publishedAt: new Date(Date.UTC(2015, 0, 1) + i * 3_600_000 * 7).toISOString(),
    versions: {
      ru: {
        title: `Заседание комитета секретарей советов безопасности номер ${i}`,
        lead: `Участники обсудят ${i % 9} вопросов повестки дня.`,
        body: `<p>Заседание пройдёт в Бишкеке.</p>`.repeat(12) + `<p>Материал номер ${i}.</p>`,
      },
    },
  }));
  writeFileSync(file, JSON.stringify({ stories }));
  console.log(`importing ${N} stories`);
  sh('taskset', ['-c', '0', 'node', join(OUT, 'src/bin/newsroom.js'), 'import', file]);

  const server = await startPinned(['node', join(OUT, 'src/bin/start.js')], /Newsroom is running/);
  const base = `http://127.0.0.1:${PORT}`;
  try {
    // Every article path, through the listing's own cursor pagination.
    const paths: string[] = [];
    for (let next: string | undefined = '/ru/news/'; next;) {
      const html = await (await fetch(base + next)).text();
      for (const m of html.matchAll(/<h2 class="release-title"><a href="([^"]+)"/g)) paths.push(m[1]);
      const older = html.match(/href="([^"]+)" rel="next"/);
      next = older ? older[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') : undefined;
    }
    console.log(`${paths.length} articles listed`);
    // Capture each page (this also warms the page cache, as production traffic would).
    const captured: Record<string, { headers: Record<string, string>; body: string }> = {};
    for (const p of paths) {
      const res = await fetch(base + p, { headers: { 'accept-encoding': 'identity' } });
      captured[p] = {
        headers: replayHeaders(res.headers),
        body: Buffer.from(await res.arrayBuffer()).toString('base64'),
      };
    }
    const capturedFile = join(work, 'captured.json');
    writeFileSync(capturedFile, JSON.stringify(captured));
    const ceiling = await startPinned(
      ['node', join(ROOT, 'bench/reader-ceiling.mjs'), capturedFile, String(CEILING_PORT)],
      /ceiling ready/,
    );
    const one = paths[Math.floor(paths.length / 2)];
    const size = Buffer.from(captured[one].body, 'base64').length;
    const rows: string[] = [];
    try {
      for (const [name, url, list] of [
        ['repeated article', one, undefined],
        [`random article of ${paths.length}`, '/', paths],
      ] as const) {
        for (let run = 1; run <= 2; run++) {
          for (const [target, port, pid] of [
            ['newsroom', PORT, server.pid!],
            ['ceiling', CEILING_PORT, ceiling.pid!],
          ] as const) {
            const u = `http://127.0.0.1:${port}${url}`;
            await load(u, list ? [...list] : undefined, 5); // warm-up
            const r = await load(u, list ? [...list] : undefined, 20);
            const errors = r.errors + r.timeouts + (r.non2xx ?? 0);
            rows.push(
              `| ${name} | ${run} | ${target} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${errors} | ${size} | ${rss(pid)} |`,
            );
            console.log(rows[rows.length - 1]);
          }
        }
      }
    } finally {
      ceiling.kill();
    }
    console.log('\n| case | run | server | req/s | p50 ms | p99 ms | errors | bytes | RSS MB |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
