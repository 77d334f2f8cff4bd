/**
 * Import speed: N synthetic stories (Russian + English, 3 paragraphs each) into a fresh
 * embedded store, then the same file again (the idempotent re-import), with the compiled CLI
 * in production mode. Reports wall time, stories/s and peak resident memory of each run.
 *
 *   npm run build && npx tsx bench/import.bench.ts [stories=10000]
 *
 * Issue #2 asks for 10,000 stories in under a minute on this machine kind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'newsroom-import-bench-'));
const file = join(dir, 'import.json');
execFileSync('npx', ['tsx', join(ROOT, 'bench/generate-import.ts'), String(N), file], { stdio: 'inherit' });

function run(label: string) {
  const started = process.hrtime.bigint();
  // GNU time's %M is the peak resident set size of the CLI process (KiB).
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, join(ROOT, 'dist/src/bin/newsroom.js'), 'import', file],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        NEWSROOM_DATA_DIR: join(dir, 'data'),
        SESSION_SECRET: 'x'.repeat(40),
      },
      encoding: 'utf8',
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = r.stdout.trim().split('\n').pop();
  const rssMb = Number(r.stderr.trim().split('\n').pop()) / 1024;
  console.log(
    `${label}: ${seconds.toFixed(1)} s wall, ${(N / seconds).toFixed(0)} stories/s, peak RSS ${rssMb.toFixed(0)} MB — ${summary}`,
  );
  if (r.status !== 0) console.log(r.stderr);
}

try {
  run('fresh import');
  run('re-import (unchanged)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
