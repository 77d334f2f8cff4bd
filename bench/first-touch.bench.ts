/**
 * A quick A/B of the first-touch read path: one compiled web process, started for the run, on
 * a copy of a store that `bench/edit-cost.bench.ts` built (pages rendered on publish), serving
 * random articles to autocannon for `--seconds`. No ceiling, no worker, no churn: for
 * comparing two builds or two settings one after the other in one session, not for the
 * issue's ratios (`npm run bench` measures those).
 *
 *   npx tsx bench/edit-cost.bench.ts --stories 10000 --edits 2 --cache /tmp/ec10000   # once
 *   npx tsx bench/first-touch.bench.ts --cache /tmp/ec10000
 *   npx tsx bench/first-touch.bench.ts --cache /tmp/ec10000 --dist dist/bench-old   # another build
 *   npx tsx bench/first-touch.bench.ts --cache /tmp/ec10000 --gzip --page-cache-mb 0
 *   npx tsx bench/first-touch.bench.ts --cache /tmp/ec10000 --node-arg=--cpu-prof --node-arg=--cpu-prof-dir=/tmp/p
 *
 * Web and stores on CPU 0; run this process on CPU 1 (`taskset -c 1 npx tsx …`).
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { articlePaths } from './support/articles.js';
import {
  ROOT,
  SERVICE_NODE_ARGS,
  autocannon,
  benchEnv,
  runBench,
  startChild,
  startPinned,
  stop,
  until,
} from './support/pinned-server.js';

const { values: opts } = parseArgs({
  options: {
    cache: { type: 'string' },
    dist: { type: 'string', default: 'dist/bench' },
    seconds: { type: 'string', default: '20' },
    gzip: { type: 'boolean', default: false },
    'page-cache-mb': { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    port: { type: 'string', default: '3999' },
  },
});
if (!opts.cache || !existsSync(opts.cache))
  throw new Error('--cache: a store built by bench/edit-cost.bench.ts');
const PORT = Number(opts.port);

const children = new Set<ChildProcess>();

async function main() {
  const work = `${opts.cache}.first-touch-${process.pid}`;
  cpSync(opts.cache!, work, { recursive: true });
  let stores: ChildProcess | undefined;
  let web: ChildProcess | undefined;
  let redis: Redis | undefined;
  try {
    stores = await startPinned(
      [process.execPath, '--import', 'tsx', join(ROOT, 'bench/support/stores.ts'), work],
      /"redisUrl"/,
      process.env,
    );
    children.add(stores);
    const urls = JSON.parse(readFileSync(join(work, 'stores.json'), 'utf8')) as {
      mongoUri: string;
      redisUrl: string;
    };
    const env = {
      ...benchEnv(work, PORT),
      MONGODB_URI: urls.mongoUri,
      REDIS_URL: urls.redisUrl,
      REDIS_PREFIX: '{newsroom}',
      ...(opts['page-cache-mb'] ? { PAGE_CACHE_MB: opts['page-cache-mb'] } : {}),
    };
    redis = new Redis(urls.redisUrl);
    const paths = (await articlePaths(redis)).map((a) => a.path);
    web = await startChild(
      [
        'taskset',
        '-c',
        '0',
        process.execPath,
        ...SERVICE_NODE_ARGS,
        ...opts['node-arg'],
        join(ROOT, opts.dist, 'src/bin/web.js'),
      ],
      env,
      { children },
    );
    await until(async () => (await fetch(`http://127.0.0.1:${PORT}/readyz`)).ok, 60_000, 'the web process');
    const r = await autocannon({
      url: `http://127.0.0.1:${PORT}${paths[0]}`,
      connections: 50,
      duration: Number(opts.seconds),
      headers: opts.gzip ? { 'accept-encoding': 'gzip' } : {},
      requests: [
        { setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] }) },
      ],
    });
    console.log(
      JSON.stringify({
        dist: opts.dist,
        articles: paths.length,
        gzip: opts.gzip,
        pageCacheMb: opts['page-cache-mb'] ?? 'default',
        nodeArgs: opts['node-arg'],
        reqPerSec: Math.round(r.requests.average),
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.timeouts + (r.non2xx ?? 0),
      }),
    );
  } finally {
    redis?.disconnect();
    await stop(web);
    await stop(stores);
    rmSync(work, { recursive: true, force: true });
  }
}

await runBench(main, children);
