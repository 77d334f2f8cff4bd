/**
 * Import of an archive: N realistic stories (bench/corpus.ts: Russian originals, 70 % with
 * English, 30 % with Kazakh, bodies 2–8 KB; 100,000 stories are about 1.1 GB of JSON, more
 * than one `JSON.parse` can hold) into a fresh embedded store, then the same file again (the
 * rerun, which skips unchanged stories by their import hash), with the compiled CLI in
 * production mode. Reports wall time, stories/s, the CLI's own peak resident memory (it
 * prints it) and the rerun's speed-up.
 *
 *   npm run build && npx tsx bench/import.bench.ts [stories=100000]
 *
 * Issue #10 asks for 100,000 stories streamed with < 300 MB, in under 10 minutes here, and a
 * rerun at least 3x faster than the first run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpus } from './corpus.js';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'newsroom-import-bench-'));
const file = join(dir, 'import.json');
await writeCorpus(N, file);
console.log(`corpus: ${N} stories, ${(statSync(file).size / 1e6).toFixed(0)} MB`);

function run(label: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/src/bin/newsroom.js'), 'import', file], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      NEWSROOM_DATA_DIR: join(dir, 'data'),
      SESSION_SECRET: 'x'.repeat(40),
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = r.stdout.trim().split('\n').pop();
  console.log(`${label}: ${seconds.toFixed(1)} s wall, ${(N / seconds).toFixed(0)} stories/s — ${summary}`);
  if (r.status !== 0) console.log(r.stderr.slice(-4000));
  return seconds;
}

try {
  const first = run('first import');
  const rerun = run('rerun (unchanged)');
  console.log(`rerun speed-up: ${(first / rerun).toFixed(1)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
