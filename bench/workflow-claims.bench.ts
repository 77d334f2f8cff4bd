/**
 * Claim throughput on the configured store (embedded FerretDB by default): N open tasks,
 * C concurrent claimers, every task claimed exactly once. Prints claims/s and p50/p99 per
 * claim. Usage: npx tsx bench/workflow-claims.bench.ts [tasks=2000] [claimers=16]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimTask } from '../src/commands/claim-task.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { Task, type TaskDoc } from '../src/models/translation-task.js';
import type { Actor } from '../src/policies/actor.js';
import { bootRuntime } from '../src/runtime.js';
import { enqueueReady } from '../src/workflow/ready-queue.js';

const [tasks = 2000, claimers = 16] = process.argv.slice(2).map(Number);
const config = loadConfig({
  ...process.env,
  NEWSROOM_DATA_DIR: process.env.NEWSROOM_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'nr-claims-')),
  SEED_DEMO: '0',
  LOG_LEVEL: 'warn',
  REDIS_PREFIX: `{bench${Date.now()}}`,
});
const runtime = await bootRuntime(config, createLogger('warn'), { relay: false });
const { ctx } = runtime;
const now = new Date();
const docs: TaskDoc[] = Array.from({ length: tasks }, (_, n) => ({
  _id: `bench${n}.en.ru1`,
  story: `bench${n}`,
  pair: 'ru:en',
  from: 'ru',
  to: 'en',
  sourceRelease: `bench${n}.ru`,
  sourceRevision: 1,
  sourceContentHash: 'x',
  state: 'open',
  priority: 5,
  revision: 1,
  leaseGeneration: 0,
  skeleton: '',
  segments: [],
  history: [],
  createdAt: new Date(now.getTime() + n),
  updatedAt: now,
}));
for (let i = 0; i < docs.length; i += 500) await Task.insertMany(docs.slice(i, i + 500));
for (const d of docs) await enqueueReady(ctx, d);

const actor = (k: number): Actor => ({
  id: `t${k}@bench`,
  name: `T${k}`,
  roles: ['translator'],
  pairs: ['ru:en'],
});
const latencies: number[] = [];
const started = performance.now();
const won = await Promise.all(
  Array.from({ length: claimers }, async (_, k) => {
    let n = 0;
    for (;;) {
      const t0 = performance.now();
      const t = await claimTask(ctx, actor(k), 'ru:en');
      if (!t) return n;
      latencies.push(performance.now() - t0);
      n++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
console.log(
  JSON.stringify({
    store: runtime.services.describe,
    tasks,
    claimers,
    claimed: won.reduce((a, b) => a + b, 0),
    seconds: Number(seconds.toFixed(1)),
    claimsPerSecond: Number((tasks / seconds).toFixed(1)),
    p50ms: pct(50),
    p99ms: pct(99),
    node: process.version,
    date: new Date().toISOString(),
  }),
);
await runtime.close();
process.exit(0);
