/**
 * Import of an archive: N realistic stories (bench/corpus.ts: Russian originals, 70 % with
 * English, 30 % with Kazakh, bodies 2–8 KB; 100,000 stories are about 1.1 GB of JSON, more
 * than one `JSON.parse` can hold) into a fresh embedded store, then the same file again (the
 * rerun, which skips unchanged stories by their import hash), with the compiled CLI in
 * production mode. Reports, for each run: wall time, stories/s, the CPU time of the CLI and
 * of each embedded store (FerretDB, redis-server) read from /proc (the machine is shared, so
 * wall time is contended; CPU time is less so), CPU ms per story, and the CLI's peak resident
 * memory (VmHWM from /proc/<pid>/status, which contention does not change), then the rerun's
 * speed-up.
 *
 *   npm run build && npx tsx bench/import.bench.ts [stories=100000]
 *
 * Issue #10 asks for 100,000 stories streamed with < 300 MB, in under 10 minutes here, and a
 * rerun at least 3x faster than the first run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpus } from './corpus.js';
import { cpuMs as cpuMsOf, descendants } from './support/pinned-server.js';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'newsroom-import-bench-'));
const file = join(dir, 'import.json');
await writeCorpus(N, file);
console.log(`corpus: ${N} stories, ${(statSync(file).size / 1e6).toFixed(0)} MB`);

function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

interface RunFigures {
  seconds: number;
  cpuMs: Record<string, number>;
  peakRssMb: number;
}

async function run(label: string): Promise<RunFigures> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/bin/newsroom.js'), 'import', file], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      NEWSROOM_DATA_DIR: join(dir, 'data'),
      SESSION_SECRET: 'x'.repeat(40),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d).slice(-4000)));
  // Last seen CPU time per process (a store's figure is read until it exits) and peak RSS.
  const seen = new Map<number, { comm: string; ms: number }>();
  let peak = 0;
  const sample = () => {
    const pid = child.pid!;
    // The CLI and the embedded stores it started; a process that is gone keeps its last figure.
    for (const p of [{ pid, comm: 'cli' }, ...descendants(pid)]) {
      const ms = cpuMsOf(p.pid);
      if (ms > 0) seen.set(p.pid, { comm: p.comm, ms });
    }
    peak = Math.max(peak, peakRssMb(pid) ?? 0);
  };
  const timer = setInterval(sample, 250);
  const status = await new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
  });
  clearInterval(timer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuMs: Record<string, number> = {};
  for (const { comm, ms } of seen.values()) cpuMs[comm] = (cpuMs[comm] ?? 0) + ms;
  const summary = stdout.trim().split('\n').pop();
  const cpu = Object.entries(cpuMs)
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s (${(ms / N).toFixed(1)} ms/story)`)
    .join(', ');
  console.log(
    `${label}: ${seconds.toFixed(1)} s wall, ${(N / seconds).toFixed(0)} stories/s; CPU ${cpu}; ` +
      `peak RSS (VmHWM, sampled) ${peak} MB — ${summary}`,
  );
  if (status !== 0) console.log(stderr);
  return { seconds, cpuMs, peakRssMb: peak };
}

try {
  console.log(`load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const first = await run('first import');
  const rerun = await run('rerun (unchanged)');
  console.log(`rerun speed-up: ${(first.seconds / rerun.seconds).toFixed(1)}x wall`);
  console.log(`load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
