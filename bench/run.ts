/**
 * `npm run bench`: every case of issue 10 against the compiled server in production mode,
 * pinned as /work/shared/BENCHMARKING.md says (stores, web and worker on CPU 0; this process
 * and its autocannon on CPU 1), each case twice, with a bare Node ceiling replaying the same
 * bytes in the same run. Writes the table to docs/benchmarks.md and the figures as JSON to
 * bench/results/.
 *
 *   npm run bench                      # 10,000 stories
 *   npm run bench -- --stories 1000
 *   npx tsx bench/run.ts --smoke       # tiny, from source, nothing written (npm test runs it)
 *   npm run bench -- --stories 2000 --only churn   # a side measurement, nothing written
 *
 * No case warms the page cache by crawling: pages are in the shared store because the worker
 * rendered them when they were imported (render-on-publish); the "first touch" case runs on a
 * web process started for it that has never served a page.
 */
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { format } from 'prettier';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { encodeCursor } from '../src/presenters/cursor.js';
import { redisKeys } from '../src/redis/keys.js';
import { writeCorpus } from './corpus.js';
import { articlePaths, startChurn } from './support/articles.js';
import {
  BENCH_EDITOR,
  ROOT,
  autocannon,
  build,
  cpuMs,
  descendants,
  replayHeaders,
  rssMb,
  startChild,
  startStores,
  stop,
  until,
  type LoadResult,
  runBench,
  SERVICE_NODE_ARGS,
} from './support/pinned-server.js';

const { values: opts } = parseArgs({
  options: {
    stories: { type: 'string', default: '10000' },
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string', default: '2' },
    // A side measurement: only the cases matching this pattern after the first-touch one (which
    // also captures the ceiling's bytes), no publish → visible, nothing written.
    only: { type: 'string' },
    // The shared page store's bound for this run (PAGE_STORE_MB); the default is the server's.
    // A store smaller than the archive's pages evicts the oldest, which readers then meet cold.
    'page-store-mb': { type: 'string' },
  },
});
const ONLY = opts.only ? new RegExp(opts.only, 'i') : undefined;
const SMOKE = opts.smoke!;
const N = SMOKE ? 30 : Number(opts.stories);
const RUNS = Number(opts.runs);
const WARM_S = SMOKE ? 0 : 5;
const MEASURE_S = SMOKE ? 1 : 20;
const PUBLISHES = SMOKE ? 3 : 100;
const PREFIX = '{newsroom}';
const keys = redisKeys(PREFIX);

// Pinning: this process (and autocannon inside it) on CPU 1, the servers on CPU 0.
if (!SMOKE && !process.env.BENCH_PINNED) {
  const r = spawnSync(
    'taskset',
    ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, BENCH_PINNED: '1' },
    },
  );
  process.exit(r.status ?? 1);
}
const pin = (args: string[]) => (SMOKE ? args : ['taskset', '-c', '0', ...args]);

const work = mkdtempSync(join(tmpdir(), 'newsroom-bench-'));
const OUT = SMOKE ? '' : join(ROOT, 'dist', 'bench');
/** The entry points: compiled (production) or, for the smoke run, the TypeScript sources. */
const entry = (rel: string) =>
  SMOKE
    ? [process.execPath, '--import', 'tsx', join(ROOT, `${rel}.ts`)]
    : [process.execPath, ...SERVICE_NODE_ARGS, join(OUT, `${rel}.js`)];

const children = new Set<ChildProcess>();
const start = (args: string[], env: NodeJS.ProcessEnv, ready?: RegExp): Promise<ChildProcess> =>
  startChild(pin(args), env, { children, ready, echo: (d) => !SMOKE && /error|fatal/i.test(d) });
interface Row {
  case: string;
  touch: 'first' | 'repeated';
  run: number;
  server: 'newsroom' | 'ceiling';
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  bytes: number;
  rssMb?: number;
  ratio?: number;
  contended: boolean;
}

async function main() {
  const started = new Date();
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  if (!SMOKE) {
    console.log(`building into ${OUT}`);
    build(OUT, process.env);
  }

  const stores = await startStores(work, children, pin);
  const storesProc = stores.proc;
  const PORT = 3941;
  const CEILING_PORT = 3942;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
    NEWSROOM_DATA_DIR: join(work, 'data'),
    SEED_DEMO: '0',
    MONGODB_URI: stores.mongoUri,
    REDIS_URL: stores.redisUrl,
    REDIS_PREFIX: PREFIX,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${PORT}`,
    ...(opts['page-store-mb'] ? { PAGE_STORE_MB: opts['page-store-mb'] } : {}),
  };
  const redis = new Redis(stores.redisUrl);
  const pages = new Queue('pages', {
    connection: redis.duplicate({ maxRetriesPerRequest: null }),
    prefix: keys.bullmq,
  });
  const rows: Row[] = [];
  const notes: Record<string, unknown> = {};
  let web: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let ceiling: ChildProcess | undefined;
  const base = `http://127.0.0.1:${PORT}`;

  const startWeb = async () => {
    await stop(web);
    // /metrics on a port of its own: the churn cases read the page cache's hits and misses.
    // BENCH_PROF=<dir>: a CPU profile of each (first) web process, written when it stops.
    const [node, ...rest] = entry('src/bin/web');
    const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
    web = await start([node, ...prof, ...rest], { ...env, METRICS_PORT: String(PORT + 20) });
    await until(async () => (await fetch(`${base}/readyz`)).ok, 120_000, 'the web process');
  };
  // A second web process on the same stores, as behind a load balancer: the churn case reads
  // through it right after each edit answered by the first (read your own writes, issue 15).
  let web2: ChildProcess | undefined;
  const base2 = `http://127.0.0.1:${PORT + 10}`;
  const startWeb2 = async () => {
    web2 ??= await start(entry('src/bin/web'), {
      ...env,
      PORT: String(PORT + 10),
      METRICS_PORT: String(PORT + 21),
    });
    await until(async () => (await fetch(`${base2}/readyz`)).ok, 120_000, 'the second web process');
  };

  try {
    // The corpus, imported by the compiled CLI (timed, twice: first run and unchanged rerun).
    const file = join(work, 'corpus.json');
    await writeCorpus(N, file);
    const cli = (args: string[]) => {
      const t0 = performance.now();
      const [cmd, ...rest] = pin(['/usr/bin/time', '-f', 'maxrss=%M', ...entry('src/bin/newsroom'), ...args]);
      const r = spawnSync(cmd, rest, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`newsroom ${args[0]} failed: ${r.stderr}\n${r.stdout}`);
      const rss = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0);
      return { seconds: (performance.now() - t0) / 1000, peakRssMb: Math.round(rss / 1024), out: r.stdout };
    };
    console.log(`importing ${N} stories`);
    const imported = cli(['import', file]);
    const reimported = cli(['import', file]);
    notes.import = {
      stories: N,
      first: { seconds: round(imported.seconds), peakRssMb: imported.peakRssMb },
      rerun: { seconds: round(reimported.seconds), peakRssMb: reimported.peakRssMb },
    };
    const user = cli(BENCH_EDITOR);
    const token = /token: (\S+)/.exec(user.out)![1];
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    // Render-on-publish: the worker renders the imported pages into the shared store.
    const t0 = performance.now();
    worker = await start(entry('workers/worker'), env);
    await until(
      async () => {
        const c = await pages.getJobCounts('wait', 'active', 'delayed', 'prioritized');
        return c.wait + c.active + c.delayed + c.prioritized === 0;
      },
      // About 70 pages a second at 100,000 stories (200,000 article pages): most of two hours.
      7_200_000,
      'the worker to render the imported pages',
    );
    notes.renderOnPublish = {
      seconds: round((performance.now() - t0) / 1000),
      storedPages: await redis.zcard(keys.pages.order),
      storedMb: round(Number((await redis.hget(keys.pages.stats, 'bytes')) ?? 0) / 1048576),
    };

    // Every article path, from the read model in Redis (not from the web process).
    const articles = await articlePaths(redis);
    const stories = [...new Set(articles.map((a) => a.story))];
    notes.articles = articles.length;
    const paths = articles.map((a) => a.path);
    const one = paths[Math.floor(paths.length / 2)];
    // Issue 10 names page 1,000; a smaller archive has fewer pages, so its last one stands in.
    const lastPage = Math.ceil((await redis.zcard(keys.releases.language('ru'))) / 20);
    const deepPage = Math.max(1, Math.min(SMOKE ? 2 : 1000, lastPage));
    const deepPath = await listingCursorPath(redis, 'ru', deepPage);

    type Case = {
      name: string;
      touch: Row['touch'];
      paths: string[];
      fresh?: boolean;
      /** Sends `Accept-Encoding: gzip`, as every browser does (autocannon sends none). */
      gzip?: boolean;
      churn?: boolean;
      inm?: boolean;
      warm?: boolean;
    };
    const cases: Case[] = [
      {
        name: `random article of ${paths.length}, fresh web process`,
        touch: 'first',
        paths,
        fresh: true,
        warm: false,
      },
      {
        name: `random article of ${paths.length}, fresh web process, gzip client`,
        touch: 'first',
        paths,
        fresh: true,
        gzip: true,
        warm: false,
      },
      { name: 'repeated article', touch: 'repeated', paths: [one] },
      { name: 'listing page 1', touch: 'repeated', paths: ['/ru/news/'] },
      {
        name: `listing page ${n(deepPage)} of ${n(lastPage)} (cursor)`,
        touch: 'repeated',
        paths: [deepPath],
      },
      { name: 'RSS feed /en/rss.xml', touch: 'repeated', paths: ['/en/rss.xml'] },
      { name: 'RSS feed 304 (If-None-Match)', touch: 'repeated', paths: ['/en/rss.xml'], inm: true },
      { name: 'search', touch: 'repeated', paths: [`/ru/search?q=${encodeURIComponent('заседание')}`] },
      {
        name: `random article of ${paths.length} under churn (1 edit/s + 1 translation/s)`,
        touch: 'repeated',
        paths,
        churn: true,
      },
      {
        name: `random article of ${paths.length} under churn (1 edit/s + 1 translation/s), gzip client`,
        touch: 'repeated',
        paths,
        gzip: true,
        churn: true,
      },
    ];

    const measure = async (c: Case, server: Row['server'], run: number, port: number, pid: number) => {
      const headers: Record<string, string> = {};
      if (c.inm) headers['if-none-match'] = etags.get(c.paths[0]) ?? '';
      if (c.gzip) headers['accept-encoding'] = 'gzip';
      const load = (seconds: number) =>
        autocannon({
          url: `http://127.0.0.1:${port}${c.paths[0]}`,
          connections: 50,
          duration: seconds,
          headers,
          requests:
            c.paths.length > 1
              ? [
                  {
                    setupRequest: (req) => ({
                      ...req,
                      path: c.paths[Math.floor(Math.random() * c.paths.length)],
                    }),
                  },
                ]
              : undefined,
        });
      if (WARM_S && c.warm !== false) await load(WARM_S);
      if (c.churn && server === 'newsroom') await startWeb2();
      const churning = c.churn && server === 'newsroom';
      // Where the CPU went and how often the measured web process rendered instead of serving
      // a stored page, during the measured window only.
      const before = churning ? { cpu: cpuByProcess(), lookups: await pageLookups(PORT + 20) } : undefined;
      const churn = churning ? startChurn(base, auth, stories, base2) : undefined;
      const r = await load(MEASURE_S);
      const churned = await churn?.stop();
      if (churned && before) {
        const cpu = cpuByProcess();
        const lookups = await pageLookups(PORT + 20);
        notes[`${c.gzip ? 'churn gzip' : 'churn'} run ${run}`] = {
          ...churned,
          cpuMsPerS: Object.fromEntries(
            Object.entries(cpu).map(([k, v]) => [k, Math.round((v - (before.cpu[k] ?? 0)) / MEASURE_S)]),
          ),
          pageCache: { hits: lookups.hit - before.lookups.hit, misses: lookups.miss - before.lookups.miss },
        };
      }
      rows.push({
        case: c.name,
        touch: c.touch,
        run,
        server,
        reqPerSec: Math.round(r.requests.average),
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: errorsOf(r, c.inm ? 304 : 200),
        bytes: c.inm ? 0 : (sizes.get(c.gzip ? `gzip ${c.paths[0]}` : c.paths[0]) ?? 0),
        rssMb: rssMb(pid),
        contended: true,
      });
      const last = rows[rows.length - 1];
      console.log(
        `${c.name} | run ${run} | ${server} | ${last.reqPerSec} req/s | p99 ${last.p99} ms | errors ${last.errors}`,
      );
    };

    /** CPU ms so far of each process on CPU 0, by role. */
    const cpuByProcess = (): Record<string, number> => {
      const out: Record<string, number> = { web: cpuMs(web!.pid!), worker: cpuMs(worker!.pid!) };
      if (web2) out.web2 = cpuMs(web2.pid!);
      for (const p of descendants(storesProc.pid!)) {
        const role = p.comm.startsWith('redis')
          ? 'redis'
          : p.comm.startsWith('newsroom-store')
            ? 'ferretdb'
            : '';
        if (role) out[role] = (out[role] ?? 0) + cpuMs(p.pid);
      }
      return out;
    };

    // 1. First touch, twice for each such case, each run on a web process started for it.
    const etags = new Map<string, string>();
    const sizes = new Map<string, number>();
    const firstTouch = cases.filter((c) => c.fresh);
    for (const c of firstTouch)
      for (let run = 1; run <= RUNS; run++) {
        await startWeb();
        await measure(c, 'newsroom', run, PORT, web!.pid!);
      }

    // The ceiling's bytes: every path as our server sends it (after the first-touch runs), and
    // the gzip form of the paths a gzip client asks for. One line per path and encoding (see
    // ceiling.mjs): the whole set as one JSON text is too long a string.
    const capturedFile = join(work, 'captured.ndjson');
    const captured = openSync(capturedFile, 'w');
    const allPaths = [...new Set(cases.flatMap((c) => c.paths))];
    const gzipPaths = new Set(cases.filter((c) => c.gzip).flatMap((c) => c.paths));
    for (const p of allPaths) {
      const res = await fetch(base + p, { headers: { 'accept-encoding': 'identity' } });
      const body = Buffer.from(await res.arrayBuffer());
      const headers = replayHeaders(res.headers);
      etags.set(p, res.headers.get('etag') ?? '');
      sizes.set(p, body.length);
      const nm = await fetch(base + p, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
      writeSync(
        captured,
        JSON.stringify({
          path: p,
          status: res.status,
          headers,
          body: body.toString('base64'),
          notModified: nm.status === 304 ? replayHeaders(nm.headers) : undefined,
        }) + '\n',
      );
      if (!gzipPaths.has(p)) continue;
      // fetch() would inflate it: the bytes as sent, from node:http.
      const gz = await rawGet(base + p, { 'accept-encoding': 'gzip' });
      sizes.set(`gzip ${p}`, gz.body.length);
      writeSync(
        captured,
        JSON.stringify({ path: p, encoding: 'gzip', ...gz, body: gz.body.toString('base64') }) + '\n',
      );
    }
    closeSync(captured);
    ceiling = await start(
      ['node', join(ROOT, 'bench/support/ceiling.mjs'), capturedFile, String(CEILING_PORT)],
      env,
      /ceiling ready/,
    );
    for (const c of firstTouch)
      for (let run = 1; run <= RUNS; run++) await measure(c, 'ceiling', run, CEILING_PORT, ceiling.pid!);
    for (const c of firstTouch)
      rows
        .filter((r) => r.case === c.name && r.server === 'newsroom')
        .forEach((r) => (r.bytes = sizes.get(c.gzip ? `gzip ${one}` : one) ?? 0));

    // 2. Every other case: newsroom and ceiling alternating, twice.
    for (const c of cases.filter((x) => !x.fresh)) {
      if (ONLY && !ONLY.test(c.name)) continue;
      for (let run = 1; run <= RUNS; run++) {
        await measure(c, 'newsroom', run, PORT, web!.pid!);
        await measure(c, 'ceiling', run, CEILING_PORT, ceiling.pid!);
      }
    }

    // 3. Publish → visible on the page and in the feed, 100 times.
    if (!ONLY) notes.publishToVisible = await publishToVisible(base, auth);

    // 4. Memory after the whole run.
    notes.memory = {
      webRssMb: rssMb(web!.pid!),
      workerRssMb: rssMb(worker.pid!),
      sharedStorePages: await redis.zcard(keys.pages.order),
      sharedStoreMb: round(Number((await redis.hget(keys.pages.stats, 'bytes')) ?? 0) / 1048576),
      redisUsedMb: round(Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0) / 1048576),
      pageCacheBoundMb: loadConfig(env).PAGE_CACHE_MB,
      pageStoreBoundMb: loadConfig(env).PAGE_STORE_MB,
    };

    for (const r of rows) {
      if (r.server !== 'newsroom') continue;
      const ceil = rows.find((x) => x.case === r.case && x.run === r.run && x.server === 'ceiling');
      if (ceil?.reqPerSec) r.ratio = round(r.reqPerSec / ceil.reqPerSec);
    }
    const report = {
      date: started.toISOString(),
      commit,
      node: process.version,
      autocannon: (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version,
      machine: `${readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1]}, ${spawnSync('nproc').stdout.toString().trim()} cores`,
      loadAverageBefore: loadBefore,
      loadAverageAfter: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      stories: N,
      rows,
      notes,
    };
    if (ONLY) {
      for (const r of rows.filter((x) => x.ratio !== undefined))
        console.log(`ratio ${r.ratio} | ${r.case} | run ${r.run} | ${r.reqPerSec} req/s`);
      console.log(`notes: ${JSON.stringify(notes)}`);
      return report;
    }
    if (SMOKE) {
      // One line, so the smoke test finds it among whatever the child processes printed.
      const bytesOf = (gzip: boolean) =>
        rows.find(
          (r) => r.server === 'newsroom' && firstTouch.some((c) => c.name === r.case && !!c.gzip === gzip),
        )?.bytes;
      const firstTouchBytes = { plain: bytesOf(false), gzip: bytesOf(true) };
      console.log(`smoke summary: ${JSON.stringify({ rows: rows.length, firstTouchBytes, notes })}`);
      return report;
    }
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const json = join(ROOT, 'bench', 'results', `${started.toISOString().replace(/[:.]/g, '-')}.json`);
    // Through prettier, so the result file passes `npm run lint` as committed (a plain
    // JSON.stringify differs from prettier's layout on short arrays and failed CI once).
    writeFileSync(json, await format(JSON.stringify(report), { parser: 'json' }));
    writeMarkdown(report);
    console.log(`wrote ${json} and docs/benchmarks.md`);
    return report;
  } finally {
    await pages.close();
    redis.disconnect();
    await stop(ceiling);
    await stop(web);
    await stop(web2);
    await stop(worker);
    await stop(storesProc);
    rmSync(work, { recursive: true, force: true });
  }
}

/** The URL of listing page `page` (newest first), by the listing's own cursor scheme. */
async function listingCursorPath(redis: Redis, lang: string, page: number): Promise<string> {
  if (page <= 1) return `/${lang}/news/`;
  const at = (page - 1) * 20 - 1;
  const [id, score] = await redis.zrevrange(
    keys.releases.language(lang),
    String(at),
    String(at),
    'WITHSCORES',
  );
  return `/${lang}/news/?after=${encodeCursor({ id, score: Number(score) })}`;
}

/** Publishes stories one after another; for each, the time until page and feed show it. */
async function publishToVisible(base: string, auth: Record<string, string>) {
  const times: number[] = [];
  for (let i = 0; i < PUBLISHES; i++) {
    const title = `Срочное сообщение ${i} ${Date.now().toString(36)}`;
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/stories`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ title, body: '<p>Текст срочного сообщения.</p>', publish: true, targets: [] }),
    });
    const created = (await res.json()) as { story: { languages: { ru: { release: { slug: string } } } } };
    const slug = created.story.languages.ru.release.slug;
    await until(
      async () => {
        const [page, feed] = await Promise.all([
          fetch(`${base}/ru/news/${slug}`).then((r) => r.text()),
          fetch(`${base}/ru/rss.xml`).then((r) => r.text()),
        ]);
        return page.includes(title) && feed.includes(title);
      },
      30_000,
      'a publish to be visible',
    );
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]);
  return { publishes: times.length, p50ms: pct(50), p99ms: pct(99), maxMs: round(times[times.length - 1]) };
}

function errorsOf(r: LoadResult, ok: number): number {
  const bad = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => Number(code) !== ok)
    .reduce((n, [, s]) => n + s.count, 0);
  return r.errors + r.timeouts + bad;
}

/** The page cache's hits and misses so far, from a web process's /metrics port. */
async function pageLookups(metricsPort: number): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const count = (result: string) =>
    Number(
      new RegExp(`^newsroom_page_cache_lookups_total\\{result="${result}"\\} (\\S+)$`, 'm').exec(text)?.[1] ??
        0,
    );
  return { hit: count('hit'), miss: count('miss') };
}

/** A GET answered as sent (no decoding): status, replayable headers and the raw body. */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: replayHeaders(h), body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

const round = (x: number) => Math.round(x * 100) / 100;

const n = (x: number) => x.toLocaleString('en-US');

const START = '<!-- npm run bench: start -->';
const END = '<!-- npm run bench: end -->';

/** Replaces the generated section of docs/benchmarks.md (or puts it first). */
function writeMarkdown(report: Awaited<ReturnType<typeof main>>) {
  const lines = [
    START,
    '## `npm run bench` (generated)',
    '',
    `${report.date}, commit ${report.commit}, Node ${report.node}, autocannon ${report.autocannon} (50 connections, ${WARM_S} s warm-up except first-touch cases, ${MEASURE_S} s measured), ${report.machine}. ${n(report.stories)} stories (bodies 2–8 KB; ru, 70 % en, 30 % kk) imported into the embedded FerretDB + Redis; compiled web and worker processes (\`NODE_ENV=production\`, \`LOG_LEVEL=warn\`) and the stores on CPU 0, autocannon on CPU 1; the ceiling is a bare Node server on CPU 0 replaying the same status, headers and bytes. Load average ${report.loadAverageBefore} before and ${report.loadAverageAfter} after the run (above about 2, other work shared the two cores and absolute figures are noisy); ratios are to the ceiling measured minutes apart in the same run.`,
    '',
    '| case | touch | run | server | req/s | p50 ms | p99 ms | errors | bytes | RSS MB | ratio |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${r.case} | ${r.touch} | ${r.run} | ${r.server} | ${n(r.reqPerSec)} | ${r.p50} | ${r.p99} | ${r.errors} | ${n(r.bytes)} | ${r.rssMb ?? ''} | ${r.ratio ?? ''} |`,
    ),
    '',
    '```json',
    JSON.stringify(report.notes, null, 2),
    '```',
    END,
  ];
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const i = doc.indexOf(START);
  const j = doc.indexOf(END);
  const section = lines.join('\n');
  const next =
    i >= 0 && j > i
      ? doc.slice(0, i) + section + doc.slice(j + END.length)
      : doc.replace(/^# Benchmarks\n/, `# Benchmarks\n\n${section}\n`);
  writeFileSync(file, next);
}

await runBench(main, children);
