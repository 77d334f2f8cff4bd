/**
 * Resident memory of the compiled web and worker processes (production mode, as `npm run
 * bench` starts them) after a long run of random article requests with publishing churn
 * (issue 10: each under 200 MB). No timing is measured.
 *
 *   npx tsx bench/memory.bench.ts                                  # 2,000 stories, 20,000 requests
 *   npx tsx bench/memory.bench.ts --stories 10000 --requests 40000
 *   npx tsx bench/memory.bench.ts --no-build                       # reuse dist/bench as it is
 *   npx tsx bench/memory.bench.ts --node-arg=--max-semi-space-size=4   # try a V8 flag (after production's)
 *   npx tsx bench/memory.bench.ts --heap-snapshots /tmp/snaps    # and a heap snapshot of each after the run
 *
 * The corpus (bench/corpus.ts) is imported by the compiled CLI and rendered by the worker
 * (render-on-publish), then one web process serves `--requests` random article pages over 20
 * keep-alive connections while one source and one translation are edited through the API
 * each second. Reported for each process, at start and after the run: VmRSS and VmHWM (peak
 * resident) from /proc/<pid>/status and, from its /metrics (METRICS_PORT), V8's heap used and
 * committed and the memory of buffers outside it (external); and the CPU seconds it used.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisKeys } from '../src/redis/keys.js';
import { writeCorpus } from './corpus.js';
import { articlePaths, startChurn } from './support/articles.js';
import {
  BENCH_EDITOR,
  ROOT,
  autocannon,
  benchEnv,
  build,
  startChild,
  startStores,
  stop,
  until,
  runBench,
  SERVICE_NODE_ARGS,
} from './support/pinned-server.js';

const { values: opts } = parseArgs({
  options: {
    stories: { type: 'string', default: '2000' },
    requests: { type: 'string', default: '20000' },
    'no-build': { type: 'boolean', default: false },
    // Web on this port, the worker's and web's metrics on the next two.
    port: { type: 'string', default: '3971' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    'heap-snapshots': { type: 'string' },
  },
});
const OUT = join(ROOT, 'dist', 'bench');
const PORT = Number(opts.port);
const keys = redisKeys('{newsroom}');
const children = new Set<ChildProcess>();
const pin = (args: string[]) => ['taskset', '-c', '0', ...args];
const SNAPSHOTS = opts['heap-snapshots'];
const snapshotArgs = SNAPSHOTS ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${SNAPSHOTS}`] : [];
const node = (rel: string) =>
  pin([process.execPath, ...SERVICE_NODE_ARGS, ...opts['node-arg'], ...snapshotArgs, join(OUT, `${rel}.js`)]);
const mb = (bytes: number) => Math.round(bytes / 1048576);

const TICK_S = 1 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/**
 * VmRSS and VmHWM of a process in MB, its resident memory split into anonymous (heap, buffers,
 * malloc) and file-backed (mostly the `node` executable, shared with every Node process), and
 * the CPU seconds it used so far (user + system).
 */
function residentMb(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = Math.round((Number(fields[11]) + Number(fields[12])) * TICK_S * 10) / 10;
  const inMb = (field: string) => Math.round(kb(field) / 1024);
  return { rss: inMb('VmRSS'), peak: inMb('VmHWM'), anon: inMb('RssAnon'), file: inMb('RssFile'), cpuS };
}

/** The process's own view of its memory, from its Prometheus metrics. */
async function heapMb(metricsPort: number) {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^newsroom_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  const space = (s: string) => mb(value(`nodejs_heap_space_size_total_bytes{space="${s}"}`));
  return {
    heapUsed: mb(value('nodejs_heap_size_used_bytes')),
    heapTotal: mb(value('nodejs_heap_size_total_bytes')),
    newSpace: space('new'),
    oldSpace: space('old'),
    external: mb(value('nodejs_external_memory_bytes')),
  };
}

async function memoryOf(procs: Record<string, { pid: number; metricsPort: number }>) {
  const out: Record<string, object> = {};
  for (const [name, p] of Object.entries(procs))
    out[name] = { ...residentMb(p.pid), ...(await heapMb(p.metricsPort)) };
  return out;
}

/** Has each process write a heap snapshot into `dir` (--heapsnapshot-signal) and waits for them. */
async function heapSnapshots(dir: string, procs: ChildProcess[]) {
  const count = () => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')).length;
  const before = count();
  for (const p of procs) p.kill('SIGUSR2');
  await until(async () => count() >= before + procs.length, 600_000, 'the heap snapshots');
  // A snapshot file appears when it starts being written: wait until no file grows for 5 s.
  const sizes = () =>
    readdirSync(dir)
      .map((f) => statSync(join(dir, f)).size)
      .join();
  for (let last = ''; last !== sizes();) {
    last = sizes();
    await new Promise((r) => setTimeout(r, 5_000));
  }
  console.log(`heap snapshots in ${dir}`);
}

async function main() {
  if (SNAPSHOTS) mkdirSync(SNAPSHOTS, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'newsroom-memory-'));
  const stores = await startStores(work, children, pin);
  const env = { ...benchEnv(work, PORT), MONGODB_URI: stores.mongoUri, REDIS_URL: stores.redisUrl };
  const redis = new Redis(stores.redisUrl);
  // BullMQ leaves a connection it was given open on close: ours to disconnect.
  const pagesConnection = redis.duplicate({ maxRetriesPerRequest: null });
  const pages = new Queue('pages', { connection: pagesConnection, prefix: keys.bullmq });
  let web: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const pagesIdle = async () => {
    const c = await pages.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    return c.wait + c.active + c.delayed + c.prioritized === 0;
  };
  try {
    if (!opts['no-build']) build(OUT, env);
    const file = join(work, 'corpus.json');
    await writeCorpus(Number(opts.stories), file);
    const cli = (args: string[]) =>
      execFileSync(node('src/bin/newsroom')[0]!, [...node('src/bin/newsroom').slice(1), ...args], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    console.log(`importing ${opts.stories} stories`);
    cli(['import', file]);
    const token = /token: (\S+)/.exec(cli(BENCH_EDITOR))![1];
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    worker = await startChild(
      node('workers/worker'),
      { ...env, METRICS_PORT: String(PORT + 1) },
      { children },
    );
    await until(pagesIdle, 3_600_000, 'the worker to render the imported pages');
    web = await startChild(node('src/bin/web'), { ...env, METRICS_PORT: String(PORT + 2) }, { children });
    const base = `http://127.0.0.1:${PORT}`;
    await until(async () => (await fetch(`${base}/readyz`)).ok, 120_000, 'the web process');
    const procs = {
      web: { pid: web.pid!, metricsPort: PORT + 2 },
      worker: { pid: worker.pid!, metricsPort: PORT + 1 },
    };
    const atStart = await memoryOf(procs);

    const articles = await articlePaths(redis);
    const paths = articles.map((a) => a.path);
    console.log(`${opts.requests} requests over ${paths.length} articles, with churn`);
    const churn = startChurn(base, auth, [...new Set(articles.map((a) => a.story))]);
    const load = await autocannon({
      url: base + paths[0],
      connections: 20,
      amount: Number(opts.requests),
      requests: [
        { setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] }) },
      ],
    });
    const churned = await churn.stop();
    await until(pagesIdle, 600_000, 'the worker to render what the edits changed');
    const report = {
      node: process.version,
      stories: Number(opts.stories),
      articles: paths.length,
      requests: Number(opts.requests),
      errors: load.errors + load.timeouts + (load.non2xx ?? 0),
      churn: churned,
      nodeArgs: [...SERVICE_NODE_ARGS, ...opts['node-arg']],
      mb: { atStart, afterRun: await memoryOf(procs) },
    };
    console.log(JSON.stringify(report, null, 2));
    if (SNAPSHOTS) await heapSnapshots(SNAPSHOTS, [web, worker]);
  } finally {
    await pages.close();
    pagesConnection.disconnect();
    redis.disconnect();
    await stop(web);
    await stop(worker);
    await stop(stores.proc);
    rmSync(work, { recursive: true, force: true });
  }
}

await runBench(main, children);
