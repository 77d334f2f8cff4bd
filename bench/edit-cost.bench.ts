/**
 * The CPU one churn edit costs in each process (web, worker, FerretDB, redis-server), the
 * figure behind the "under churn" case of `npm run bench`: there every process shares CPU 0,
 * so each millisecond an edit costs anywhere is taken from readers. CPU time (utime + stime
 * from /proc/<pid>/stat) is robust to a shared machine; wall time is not.
 *
 *   npx tsx bench/edit-cost.bench.ts                       # 3,000 stories, 20 edits of each kind
 *   npx tsx bench/edit-cost.bench.ts --stories 10000 --edits 30
 *   npx tsx bench/edit-cost.bench.ts --prof /tmp/prof      # --cpu-prof for web and worker
 *   npx tsx bench/edit-cost.bench.ts --no-build            # reuse dist/bench as it is
 *
 * The compiled server (production mode) on embedded stores; the corpus (bench/corpus.ts) is
 * imported and rendered once into `--cache` (default /tmp/newsroom-edit-cost-<N>) and each run
 * works on a copy of it. The edits are the bench's churn edits (`startChurn` in bench/run.ts):
 * GET the story, then PATCH a new title on its Russian source, or on its English translation.
 * One at a time; after each, the harness waits until the outbox is empty and no queue has a
 * job waiting or active (*settled*), then until the delayed listing renders ran too (*window*:
 * a language's home, listing and feed render once per 3 s window, so under the bench's two
 * edits a second they are shared by about six edits). The idle CPU of the same processes,
 * measured before the edits, is subtracted per second.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { redisKeys } from '../src/redis/keys.js';
import { writeCorpus } from './corpus.js';
import {
  BENCH_EDITOR,
  ROOT,
  benchEnv,
  build,
  cpuMs,
  descendants,
  startChild,
  runBench,
} from './support/pinned-server.js';

const { values: opts } = parseArgs({
  options: {
    stories: { type: 'string', default: '3000' },
    edits: { type: 'string', default: '20' },
    cache: { type: 'string' },
    prof: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'query-log': { type: 'boolean', default: false },
  },
});
const N = Number(opts.stories);
const EDITS = Number(opts.edits);
const CACHE = opts.cache ?? `/tmp/newsroom-edit-cost-${N}`;
const OUT = join(ROOT, 'dist', 'bench');
const PREFIX = '{newsroom}';
const keys = redisKeys(PREFIX);
const PORT = 3961;
// The CPU every process is pinned to (`BENCH_CPU=1` keeps CPU 0 free for another bench).
const CPU = process.env.BENCH_CPU ?? '0';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children = new Set<ChildProcess>();

/** A process on CPU 0 (or `BENCH_CPU`) that says why when it dies before the bench stops it. */
async function start(args: string[], env: NodeJS.ProcessEnv, ready?: RegExp): Promise<ChildProcess> {
  const child = await startChild(['taskset', '-c', CPU, ...args], env, {
    children,
    ready,
    echo: (d) => /"level":(50|60)|error|fatal/i.test(d),
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`${args.at(-1)} exited ${code ?? signal}\n`);
  });
  return child;
}

async function until(fn: () => Promise<boolean>, what: string, ms = 120_000) {
  const end = Date.now() + ms;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
/** The worker is up once its BullMQ worker on the pages queue is connected. */
const workerUp = (queues: Queue[]) =>
  until(async () => (await queues.find((q) => q.name === 'pages')!.getWorkersCount()) > 0, 'the worker');
async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function envFor(work: string, stores: { mongoUri: string; redisUrl: string }): NodeJS.ProcessEnv {
  return {
    ...benchEnv(work, PORT),
    MONGODB_URI: stores.mongoUri,
    REDIS_URL: stores.redisUrl,
    REDIS_PREFIX: PREFIX,
  };
}

async function startStores(work: string) {
  const script = join(ROOT, 'bench/support/stores.ts');
  const proc = await start([process.execPath, '--import', 'tsx', script, work], process.env, /"redisUrl"/);
  const urls = JSON.parse(readFileSync(join(work, 'stores.json'), 'utf8')) as {
    mongoUri: string;
    redisUrl: string;
  };
  const kids = descendants(proc.pid!);
  const pidOf = (re: RegExp) => Number(kids.find((k) => re.test(k.comm))?.pid);
  return { proc, urls, ferret: pidOf(/newsroom-stor|ferret|mongod/), redis: pidOf(/redis/) };
}

/** Outbox empty, and no queue with a job waiting or active (delayed too, with `delayed`). */
async function settled(redis: Redis, queues: Queue[], delayed: boolean): Promise<boolean> {
  const outbox = await mongoose.connection.db!.collection('outboxevents').countDocuments();
  if (outbox > 0) return false;
  for (const q of queues) {
    const c = await q.getJobCounts('wait', 'active', 'prioritized', 'delayed');
    if (c.wait + c.active + c.prioritized > 0) return false;
    if (delayed && q.name === 'pages' && c.delayed > 0) return false;
  }
  return true;
}
async function settle(redis: Redis, queues: Queue[], delayed: boolean) {
  // Twice in a row, 100 ms apart: a relay can be between reading an event and enqueueing.
  for (let calm = 0; calm < 2;) {
    await sleep(100);
    calm = (await settled(redis, queues, delayed)) ? calm + 1 : 0;
  }
}

/** Imports and renders the corpus once into CACHE (stores stopped cleanly, so it can be copied). */
async function buildCache() {
  const work = `${CACHE}.building`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const stores = await startStores(work);
  const env = envFor(work, stores.urls);
  try {
    const file = join(work, 'corpus.json');
    await writeCorpus(N, file);
    console.log(`importing ${N} stories`);
    const cli = (args: string[]) =>
      execFileSync('taskset', ['-c', CPU, process.execPath, join(OUT, 'src/bin/newsroom.js'), ...args], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    cli(['import', file]);
    rmSync(file);
    const user = cli(BENCH_EDITOR);
    writeFileSync(join(work, 'token'), /token: (\S+)/.exec(user)![1]);
    console.log('rendering the imported pages');
    const worker = await start([process.execPath, join(OUT, 'workers/worker.js')], env);
    const redis = new Redis(stores.urls.redisUrl);
    await mongoose.connect(stores.urls.mongoUri);
    const queues = await openQueues(redis);
    await workerUp(queues);
    await settle(redis, queues, true);
    await closeQueues(queues);
    redis.disconnect();
    await mongoose.disconnect();
    await stop(worker);
  } finally {
    await stop(stores.proc);
  }
  rmSync(join(work, 'stores.json'));
  cpSync(work, CACHE, { recursive: true });
  rmSync(work, { recursive: true, force: true });
}

/** The connections handed to the queues: BullMQ leaves a given connection open on close. */
const queueConnections: Redis[] = [];
async function closeQueues(queues: Queue[]) {
  await Promise.all(queues.map((q) => q.close()));
  for (const c of queueConnections.splice(0)) c.disconnect();
}

async function openQueues(redis: Redis): Promise<Queue[]> {
  const names = new Set<string>(['pages', 'translation', 'publish', 'review']);
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.bullmq}:*:meta`, 'COUNT', 1000);
    cursor = next;
    for (const k of found) names.add(k.slice(keys.bullmq.length + 1, -':meta'.length));
  } while (cursor !== '0');
  return [...names].map((name) => {
    const connection = redis.duplicate({ maxRetriesPerRequest: null });
    queueConnections.push(connection);
    return new Queue(name, { connection, prefix: keys.bullmq });
  });
}

type Procs = Record<'web' | 'worker' | 'ferretdb' | 'redis', number>;
const sample = (p: Procs) =>
  Object.fromEntries(Object.entries(p).map(([k, pid]) => [k, cpuMs(pid)])) as Record<keyof Procs, number>;
const minus = (a: Record<keyof Procs, number>, b: Record<keyof Procs, number>) =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Procs] - b[k as keyof Procs]])) as Record<
    keyof Procs,
    number
  >;

async function main() {
  if (!opts['no-build']) build(OUT, process.env);
  if (!existsSync(CACHE)) await buildCache();
  const work = `${CACHE}.run-${process.pid}`;
  cpSync(CACHE, work, { recursive: true });
  const stores = await startStores(work);
  const env = envFor(work, stores.urls);
  const token = readFileSync(join(work, 'token'), 'utf8');
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  // Node flags per process: a CPU profile, and a count of Mongoose queries (bench/support/query-log.mjs).
  const node = (name: string) => [
    ...(opts.prof ? ['--cpu-prof', `--cpu-prof-dir=${join(opts.prof, name)}`] : []),
    ...(opts['query-log'] ? ['--import', join(ROOT, 'bench/support/query-log.mjs')] : []),
  ];
  if (opts['query-log']) env.QUERY_LOG = `${CACHE}.queries`;
  let web: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const redis = new Redis(stores.urls.redisUrl);
  let queues: Queue[] = [];
  try {
    worker = await start([process.execPath, ...node('worker'), join(OUT, 'workers/worker.js')], env);
    web = await start([process.execPath, ...node('web'), join(OUT, 'src/bin/web.js')], env);
    await mongoose.connect(stores.urls.mongoUri);
    queues = await openQueues(redis);
    await workerUp(queues);
    await until(async () => (await fetch(`http://127.0.0.1:${PORT}/readyz`)).ok, 'the web process');
    await settle(redis, queues, true);
    const procs: Procs = { web: web.pid!, worker: worker.pid!, ferretdb: stores.ferret, redis: stores.redis };

    // Idle CPU per second (relay polls, BullMQ's blocking reads), subtracted from each edit.
    const idleS = 5;
    const i0 = sample(procs);
    await sleep(idleS * 1000);
    const idle = minus(sample(procs), i0);
    const idlePerMs = (k: keyof Procs) => idle[k] / (idleS * 1000);

    const storyIds = (
      await mongoose.connection
        .db!.collection('stories')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((s) => String(s._id));
    let seed = 42;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return storyIds[seed % storyIds.length];
    };
    const result: Record<string, unknown> = { stories: N, edits: EDITS, idleMsPerS: idle };
    let mark = 0;
    if (opts['query-log']) for (const p of [web, worker]) p.kill('SIGUSR2');
    for (const kind of ['ru', 'en'] as const) {
      const phases = { settled: zero(), window: zero() };
      // Pages rendered into the shared store (its store counter) and invalidations (its sequence).
      const storeCounters = async () => ({
        stored: Number((await redis.hget(keys.pages.stats, 'clock')) ?? 0),
        invalidations: Number((await redis.get(keys.pages.seq)) ?? 0),
      });
      const counted0 = await storeCounters();
      let done = 0;
      let wall = 0;
      while (done < EDITS) {
        const id = pick();
        const t0 = performance.now();
        const c0 = sample(procs);
        const story = (await (
          await fetch(`http://127.0.0.1:${PORT}/api/v1/stories/${id}`, { headers: auth })
        ).json()) as {
          story: { languages: Record<string, { release: { revision: number; title: string } | null }> };
        };
        const r = story.story.languages[kind]?.release;
        if (!r) continue; // the bench edits the source then; count only edits of this kind
        const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/stories/${id}/${kind}`, {
          method: 'PATCH',
          headers: auth,
          body: JSON.stringify({
            baseRevision: r.revision,
            title: `${r.title.replace(/ \([0-9a-z]+\)$/, '')} (${(++mark).toString(36)}e)`,
          }),
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`PATCH ${id}/${kind}: ${res.status}`);
        await settle(redis, queues, false);
        const t1 = performance.now();
        const c1 = sample(procs);
        await settle(redis, queues, true);
        const t2 = performance.now();
        const c2 = sample(procs);
        for (const k of Object.keys(procs) as (keyof Procs)[]) {
          phases.settled[k] += c1[k] - c0[k] - idlePerMs(k) * (t1 - t0);
          phases.window[k] += c2[k] - c1[k] - idlePerMs(k) * (t2 - t1);
        }
        wall += t2 - t0;
        done++;
      }
      const per = (x: Record<keyof Procs, number>) =>
        Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Math.round(v / EDITS)]));
      const settledPer = per(phases.settled);
      const windowPer = per(phases.window);
      const label = kind === 'ru' ? 'source edit (ru)' : 'translation edit (en)';
      const counted1 = await storeCounters();
      const pages = {
        rendered: (counted1.stored - counted0.stored) / EDITS,
        invalidations: (counted1.invalidations - counted0.invalidations) / EDITS,
      };
      result[label] = {
        settled: settledPer,
        window: windowPer,
        wallMsPerEdit: Math.round(wall / EDITS),
        perEdit: pages,
      };
      const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
      console.log(
        `${label}: CPU ms per edit until settled ${fmt(settledPer)} (total ${sum(settledPer)}); ` +
          `delayed listing renders ${fmt(windowPer)} (total ${sum(windowPer)}); ` +
          `per edit ${pages.rendered} pages rendered, ${pages.invalidations} invalidations`,
      );
    }
    console.log(`idle CPU ms per second: ${fmt(per1(idle, idleS))}`);
    console.log(JSON.stringify(result));
    if (opts['query-log'])
      console.log(`query counts: ${CACHE}.queries-<pid>.json (web ${web.pid}, worker ${worker.pid})`);
  } finally {
    await closeQueues(queues);
    redis.disconnect();
    await mongoose.disconnect();
    await stop(web);
    await stop(worker);
    await stop(stores.proc);
    rmSync(work, { recursive: true, force: true });
  }
}

const zero = (): Record<keyof Procs, number> => ({ web: 0, worker: 0, ferretdb: 0, redis: 0 });
const fmt = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join(', ');
const per1 = (o: Record<string, number>, s: number) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v / s]));

await runBench(main, children);
